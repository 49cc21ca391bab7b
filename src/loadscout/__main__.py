from loadscout.cli import main

main()
