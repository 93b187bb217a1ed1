#!/usr/bin/env bash
# Renders the PNGs the console compiles in (Qt 6.4 on Debian ships no SVG
# image plugin by default) from the SVG sources beside this script.
# Needs ImageMagick. Run after editing an SVG; commit both.
set -euo pipefail
cd "$(dirname "$0")"
convert -background none -density 300 quantpush-console.svg -resize 256x256 -strip PNG32:quantpush-console.png
convert -background none -density 300 quantpush-console.svg -resize 64x64 -strip PNG32:quantpush-console-64.png
for svg in nav-*.svg; do
    convert -background none -density 600 "$svg" -resize 48x48 -strip "PNG32:${svg%.svg}.png"
done
