from openiom.cli import main

main()
