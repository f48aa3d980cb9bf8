"""``python -m glasstorch.companion run|explain|tour ...``"""
import sys

from .cli import main

sys.exit(main())
