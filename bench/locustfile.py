"""Locust's fastest user class against the benchmark's 1 KB file, no wait time."""

from locust import FastHttpUser, constant, task  # type: ignore[import-not-found]


class OneFile(FastHttpUser):  # type: ignore[misc]
    wait_time = constant(0)

    @task
    def get(self) -> None:
        self.client.get("/1k.txt")
