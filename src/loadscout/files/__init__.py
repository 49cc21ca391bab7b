"""The user's files and environment: flows files, credential CSVs, browser storage states.

The vocabulary in :mod:`loadscout.flows` stays pure (text in, models out); this layer does
the reading and writing beneath the parts that need it.
"""
