"""A progress bar for long commands (ingest, reextract): tqdm on a terminal, nothing otherwise."""

from tqdm import tqdm


def progress_bar(total, stream, description):
    """A tqdm bar on `stream` (a command's self.stderr) that stays quiet when the stream is not a terminal.

    Lines printed meanwhile go through bar.write() so that they do not break the bar."""
    raw = getattr(stream, "_out", stream)  # Django's OutputWrapper adds a newline to every write
    quiet = not (hasattr(raw, "isatty") and raw.isatty())
    return tqdm(total=total, file=raw, desc=description, unit="art", disable=quiet, dynamic_ncols=True, leave=False)


def write_line(bar, stream, text):
    """A line of a command's report: through the bar on a terminal (so that it does not break it), else as is."""
    if bar.disable:
        stream.write(text)
    else:
        bar.write(text, file=getattr(stream, "_out", stream))
