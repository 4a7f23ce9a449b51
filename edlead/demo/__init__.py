"""Deterministic demo and benchmark data: `manage.py seed_demo --scale demo|state`.

Everything here is invented: names of people, schools, districts, streets and towns. Organization
codes begin with 9 (99 for the demo districts), which no real DESE organization uses, so real
directory files import beside the demo without touching it.
"""
