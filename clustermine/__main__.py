"""Allow ``python -m clustermine``."""

from clustermine.cli import main

if __name__ == "__main__":
    main()
