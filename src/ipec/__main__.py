from ipec.cli import main

main()
