"""Comparing a freshly built directory with the committed Datasets/files, byte for byte."""
import filecmp, os


def differences(built_directory, committed_directory):
    """(file, reason) for every file that differs, is missing from the committed files,
    or is committed but no longer built; empty when the directories are identical."""
    built = set(os.listdir(built_directory))
    committed = set(os.listdir(committed_directory)) if os.path.isdir(committed_directory) else set()
    found = []
    for name in sorted(built | committed):
        if name not in committed:
            found.append((name, "built but not in the committed files"))
        elif name not in built:
            found.append((name, "committed but not built"))
        elif not filecmp.cmp(os.path.join(built_directory, name), os.path.join(committed_directory, name), shallow=False):
            found.append((name, "differs"))
    return found
