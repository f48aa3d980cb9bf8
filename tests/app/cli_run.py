"""The glasstorch command run in-process by the CLI tests."""
from glasstorch.app.cli import main


def run(capsys, *argv):
    """(exit code, stdout, stderr) of ``glasstorch ARGV...``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
