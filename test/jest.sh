#!/bin/sh
# Runs jest alone (no type-check), with the flag PGlite needs: sh test/jest.sh [jest args]
exec node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js "$@"
