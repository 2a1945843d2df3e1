from bertkata.cli import main

main()
