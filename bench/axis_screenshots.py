"""PNG screenshots of the time axis (issue 10): both languages, desktop and phone widths.

    python bench/axis_screenshots.py OUT_DIR [--url http://127.0.0.1:8000] [--query "from=2024&to=2024"]

Needs a running site (make run) and Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Writes
OUT_DIR/axis-{ar,en}-{1280,390}.png: the axis element only (the figure#axis), not the whole page.
"""

import argparse
import os
import shutil
from pathlib import Path

WIDTHS = (1280, 390)
LANGUAGES = {"ar": "/", "en": "/en/"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running site")
    parser.add_argument("--query", default="", help="a query string (a zoom level, filters) without the '?'")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = os.getenv("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for language, path in LANGUAGES.items():
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
                page = context.new_page()
                page.goto(args.url.rstrip("/") + path + (f"?{args.query}" if args.query else ""))
                target = args.out / f"axis-{language}-{width}.png"
                page.locator("#axis").screenshot(path=str(target))
                print(f"{target} ({target.stat().st_size // 1024} KB)")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
