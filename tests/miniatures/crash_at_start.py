"""Dies before the handshake, with a message on stderr."""

import sys

print("fatal: licence file /etc/vendor/licence.key not found", file=sys.stderr)
sys.exit(3)
