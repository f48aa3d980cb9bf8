"""How far the course's case study drifts between torch and glasstorch. After torch.manual_seed(0) both start from
the same weights and see the same batches (the random streams are torch's), so every difference comes from float32
rounding in the matrix products and sums (BLAS blocking, summation order). Prints the per-epoch mean loss of both,
their difference, and the held-out accuracies.

Usage: python case_study_drift.py CSV [EPOCHS]
"""
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    csv = sys.argv[1]
    epochs = sys.argv[2] if len(sys.argv) > 2 else "50"
    script = str(HERE / "course_phone_price.py")
    runs = {"torch": [sys.executable, script, csv, epochs],
            "glasstorch": [sys.executable, "-m", "glasstorch.companion", "run", script, csv, epochs]}
    data = {name: json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
            for name, cmd in runs.items()}
    theirs, ours = data["torch"]["epoch_losses"], data["glasstorch"]["epoch_losses"]
    print(f"{'epoch':>5}  {'torch loss':>12}  {'glasstorch':>12}  {'difference':>11}")
    for i, (a, b) in enumerate(zip(theirs, ours), 1):
        print(f"{i:>5}  {a:12.8f}  {b:12.8f}  {b - a:+11.2e}")
    worst = max(abs(a - b) / abs(a) for a, b in zip(theirs, ours))
    print(f"largest relative loss difference: {worst:.2e}")
    print(f"accuracy: torch {data['torch']['accuracy']:.5f}, glasstorch {data['glasstorch']['accuracy']:.5f}")


if __name__ == "__main__":
    main()
