import os

# The suite runs with development settings (no HTTPS redirect, a throwaway key) unless a test
# deliberately builds production settings in a subprocess.
os.environ.setdefault("BODYMAP_ENV", "development")
os.environ.pop("DEBUG", None)
