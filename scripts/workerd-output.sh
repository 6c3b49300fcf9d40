#!/bin/sh
# What Miniflare starts as workerd under `npm start` (MINIFLARE_WORKERD_PATH): the real binary, with
# its standard output on the launcher's pipe (runtime-output.mjs) instead of Miniflare's.
exec "$FACET_IDE_WORKERD_BINARY" "$@" >"$FACET_IDE_WORKERD_OUTPUT"
