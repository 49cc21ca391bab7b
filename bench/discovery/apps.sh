#!/usr/bin/env bash
# Third-party apps discovery is measured on (issue 11), installed from PyPI into their own venv
# (never loadscout's) and served on 127.0.0.1:
#   Django admin  http://127.0.0.1:8701/admin/  (superuser admin / bench-admin-pw; 10 models
#                 in the admin, 60-300 rows each; CSRF token per session)
#   Datasette     http://127.0.0.1:8702/        (read-only browser over 400 products, 20 shops)
#   Python docs   http://127.0.0.1:8703/        (static site: Debian's python3.11-doc, 530 pages,
#                 served by the machine's own python3 -m http.server)
#   Roundup       http://127.0.0.1:8704/tracker/ (issue tracker, classic template, sqlite; admin /
#                 bench-admin-pw; 300 issues, 20 users; a GET search form and the POST login form
#                 share one action on every page; logout is a GET link)
#   API explorer  http://127.0.0.1:8705/api/docs/ (Swagger UI, client-rendered, from
#                 drf-spectacular-sidecar, over Django REST framework viewsets of the Django
#                 site's 8 models: 48 operations, 16 of them reads; no <a> link to any of them)
# Usage: apps.sh setup | start | stop      (BENCH_APPS_DIR, default /tmp/loadscout-bench-apps)
set -euo pipefail

DIR="${BENCH_APPS_DIR:-/tmp/loadscout-bench-apps}"
VENV="$DIR/venv"
PY="$VENV/bin/python"
DJANGO_PORT=8701
DATASETTE_PORT=8702
DOCS_PORT=8703
ROUNDUP_PORT=8704
API_PORT=8705
DOCS_DIR=/usr/share/doc/python3.11/html

setup_venv() {
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$PY" -c "import django, datasette, roundup, rest_framework, drf_spectacular_sidecar" \
    2>/dev/null || "$VENV/bin/pip" install -q django datasette roundup djangorestframework \
    drf-spectacular drf-spectacular-sidecar
}

setup_django() {
  local site="$DIR/django"
  [ -f "$site/db.sqlite3" ] && return
  mkdir -p "$site"
  (cd "$site" && "$VENV/bin/django-admin" startproject benchsite . && "$PY" manage.py startapp inventory)
  cat > "$site/inventory/models.py" <<'PY'
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    country = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    year = models.IntegerField()
    in_stock = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.title


class Named(models.Model):
    name = models.CharField(max_length=100)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Publisher(Named):
    pass


class Store(Named):
    pass


class Customer(Named):
    pass


class Supplier(Named):
    pass


class Review(Named):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    stars = models.IntegerField(default=3)


class Order(Named):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    total = models.DecimalField(max_digits=8, decimal_places=2)
PY
  cat > "$site/inventory/admin.py" <<'PY'
from django.contrib import admin

from .models import Author, Book, Customer, Order, Publisher, Review, Store, Supplier

for model in (Publisher, Store, Customer, Supplier, Review, Order):
    admin.site.register(model, search_fields=("name",))


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "country")
    search_fields = ("name",)


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "year", "in_stock")
    list_filter = ("in_stock", "year")
    search_fields = ("title",)
PY
  sed -i "s/^ALLOWED_HOSTS = \[\]/ALLOWED_HOSTS = ['127.0.0.1', 'localhost']/" "$site/benchsite/settings.py"
  sed -i "s/'django.contrib.staticfiles',/'django.contrib.staticfiles',\n    'inventory',/" "$site/benchsite/settings.py"
  (cd "$site" && "$PY" manage.py makemigrations -v0 inventory && "$PY" manage.py migrate -v0)
  (cd "$site" && DJANGO_SUPERUSER_PASSWORD=bench-admin-pw "$PY" manage.py createsuperuser \
    --noinput --username admin --email admin@example.com)
  (cd "$site" && "$PY" manage.py shell -c "
from inventory.models import Author, Book
authors = Author.objects.bulk_create(
    [Author(name=f'Author {n}', country=['FR', 'DE', 'JP'][n % 3]) for n in range(1, 61)])
books = Book.objects.bulk_create([Book(title=f'Book {n}', author=authors[n % 60],
    year=1950 + n % 70, in_stock=n % 4 != 0) for n in range(1, 301)])
from inventory.models import Customer, Order, Publisher, Review, Store, Supplier
for model in (Publisher, Store, Supplier):
    model.objects.bulk_create([model(name=f'{model.__name__} {n}') for n in range(1, 201)])
customers = Customer.objects.bulk_create([Customer(name=f'Customer {n}') for n in range(1, 201)])
Review.objects.bulk_create([Review(name=f'Review {n}', book=books[n % 300], stars=n % 5)
    for n in range(1, 301)])
Order.objects.bulk_create([Order(name=f'Order {n}', customer=customers[n % 200], total=n)
    for n in range(1, 301)])
")
}

setup_api() {
  local site="$DIR/django"
  [ -f "$site/inventory/api.py" ] && return
  cat > "$site/inventory/api.py" <<'PY'
from rest_framework import routers, serializers, viewsets

from .models import Author, Book, Customer, Order, Publisher, Review, Store, Supplier

router = routers.DefaultRouter()
for model in (Author, Book, Publisher, Store, Customer, Supplier, Review, Order):
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    serializer = type(f"{model.__name__}Serializer", (serializers.ModelSerializer,),
                      {"Meta": meta})
    viewset = type(f"{model.__name__}ViewSet", (viewsets.ModelViewSet,),
                   {"queryset": model.objects.order_by("id"), "serializer_class": serializer})
    router.register(model.__name__.lower() + "s", viewset)
PY
  cat >> "$site/benchsite/settings.py" <<'PY'

INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inventory API",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
PY
  cat >> "$site/benchsite/urls.py" <<'PY'

from django.urls import include  # noqa: E402
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView  # noqa: E402

from inventory.api import router  # noqa: E402

urlpatterns += [
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
PY
}

setup_datasette() {
  local db="$DIR/datasette/shop.db"
  [ -f "$db" ] && return
  mkdir -p "$DIR/datasette"
  "$PY" - "$db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("create table shops (id integer primary key, name text, city text)")
con.execute("create table products (id integer primary key, name text, price real,"
            " shop_id integer references shops(id))")
con.executemany("insert into shops values (?, ?, ?)",
                [(n, f"Shop {n}", ["Paris", "Berlin", "Osaka", "Lima"][n % 4]) for n in range(1, 21)])
con.executemany("insert into products values (?, ?, ?, ?)",
                [(n, f"Product {n}", round(1 + n * 0.37, 2), 1 + n % 20) for n in range(1, 401)])
con.commit()
PY
}

setup_docs() {
  [ -f "$DOCS_DIR/index.html" ] && return
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3.11-doc >/dev/null
}

setup_roundup() {
  local tracker="$DIR/roundup"
  [ -f "$tracker/db/db" ] && return
  "$VENV/bin/roundup-admin" -i "$tracker" install classic sqlite >/dev/null
  sed -i "s|^#web = NO DEFAULT|web = http://127.0.0.1:$ROUNDUP_PORT/tracker/|" "$tracker/config.ini"
  sed -i "s|^#domain = NO DEFAULT|domain = localhost|" "$tracker/config.ini"
  echo y | "$VENV/bin/roundup-admin" -i "$tracker" initialise bench-admin-pw >/dev/null
  "$PY" - "$tracker" <<'PY'
import sys
import roundup.instance
db = roundup.instance.open(sys.argv[1]).open("admin")
words = ["crash", "login", "slow", "export", "report", "search", "upload", "email"]
users = [db.user.create(username=f"user{n}", address=f"user{n}@example.com", roles="User")
         for n in range(1, 21)]
for n in range(1, 301):
    db.issue.create(title=f"{words[n % 8].title()} problem {n}", status=str(1 + n % 4),
                    priority=str(1 + n % 5), assignedto=users[n % 20])
db.commit()
PY
  chown -R nobody:nogroup "$tracker"  # roundup-server refuses to run as root
}

start() {
  mkdir -p "$DIR/logs"
  stop quiet
  (cd "$DIR/django" && exec "$PY" manage.py runserver "127.0.0.1:$DJANGO_PORT" --noreload \
    >"$DIR/logs/django.log" 2>&1) & echo $! > "$DIR/django.pid"
  (cd "$DIR/django" && exec "$PY" manage.py runserver "127.0.0.1:$API_PORT" --noreload \
    >"$DIR/logs/api.log" 2>&1) & echo $! > "$DIR/api.pid"
  (exec "$VENV/bin/datasette" serve "$DIR/datasette/shop.db" --host 127.0.0.1 \
    --port "$DATASETTE_PORT" >"$DIR/logs/datasette.log" 2>&1) & echo $! > "$DIR/datasette.pid"
  (exec python3 -m http.server "$DOCS_PORT" --bind 127.0.0.1 --directory "$DOCS_DIR" \
    >"$DIR/logs/docs.log" 2>&1) & echo $! > "$DIR/docs.pid"
  (exec "$VENV/bin/roundup-server" -u nobody -g nogroup -p "$ROUNDUP_PORT" -n 127.0.0.1 \
    "tracker=$DIR/roundup" >"$DIR/logs/roundup.log" 2>&1) & echo $! > "$DIR/roundup.pid"
  for port in $DJANGO_PORT $DATASETTE_PORT $DOCS_PORT $ROUNDUP_PORT $API_PORT; do
    for _ in $(seq 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      sleep 0.2
    done
  done
}

stop() {
  for app in django api datasette docs roundup; do
    if [ -f "$DIR/$app.pid" ]; then
      kill "$(cat "$DIR/$app.pid")" 2>/dev/null || true
      rm -f "$DIR/$app.pid"
    fi
  done
  [ "${1:-}" = quiet ] || echo "stopped"
}

case "${1:-}" in
  setup) mkdir -p "$DIR"; setup_venv; setup_django; setup_api; setup_datasette; setup_docs; setup_roundup
    echo "apps ready in $DIR" ;;
  start) start
    echo "django :$DJANGO_PORT, datasette :$DATASETTE_PORT, docs :$DOCS_PORT," \
      "roundup :$ROUNDUP_PORT, api explorer :$API_PORT (logs in $DIR/logs)" ;;
  stop) stop ;;
  *) echo "usage: $0 setup|start|stop" >&2; exit 2 ;;
esac
