"""``python -m glasstorch ...`` runs the ``glasstorch`` command (the trainer and the course companion)."""
import sys

from glasstorch.app.cli import main

sys.exit(main())
