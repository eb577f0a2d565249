from yiwang.cli.main import main

main()
