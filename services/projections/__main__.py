import sys

from shared.cli import plain_failures

from .main import main

sys.exit(plain_failures("coprod projections", main, sys.argv[1:]))
