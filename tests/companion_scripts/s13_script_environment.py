"""`glasstorch run` keeps the script's environment: argv, __name__, sys.path[0], relative paths, helper modules."""
import os
import sys

import torch
from companion_helper import double  # found through sys.path[0], the script's folder

print("name", __name__)
print("argv", sys.argv[1:])
print("argv0 is this file:", os.path.realpath(sys.argv[0]) == os.path.realpath(__file__))
print("path0 is this folder:", sys.path[0] == os.path.dirname(os.path.realpath(__file__)))
with open(os.path.join(os.path.dirname(__file__), "companion_data.txt")) as handle:
    print("data file:", handle.read().strip())
print("relative path exists:", os.path.exists(sys.argv[0]))
print("helper:", double(torch.tensor([1.0, 2.5])).tolist())
print("cuda:", torch.cuda.is_available(), "device:", "cuda" if torch.cuda.is_available() else "cpu")
print("has nonexistent:", hasattr(torch, "surely_not_an_api"))
if len(sys.argv) > 1 and sys.argv[1] == "exit":
    sys.exit(3)
