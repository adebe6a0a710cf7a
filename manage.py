#!/usr/bin/env python
from alongside.cli import main

if __name__ == "__main__":
    main()
