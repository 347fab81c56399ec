import ArgumentParser
import SeqHuntIO

/// `--format`, for the commands that write one table to `--out` (`score`, `sessionize`, `query`).
struct OutputFormatArguments: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The output format, csv or jsonl (default: by the extension; required with --out -).", valueName: "format"))
    var format: OutputFormat?
}
