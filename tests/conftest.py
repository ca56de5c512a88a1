"""Test-wide settings: Hypothesis checks behaviour, not speed.

Hypothesis's default deadline (200 ms per example) is a timing assertion: the first
example of a test can load CLDR data or the lexicon, and on a busy 2-core CI machine it
then fails "Flaky" without any fault in the code. Speed is measured by the benchmarks in
bench/, so the deadline is off for every property test here.
"""
from hypothesis import settings

settings.register_profile("project", deadline=None)
settings.load_profile("project")
