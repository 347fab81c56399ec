import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a baseline model on sessions or event logs and save it.",
        discussion: """
            The model file holds the vocabularies and the raw counts (docs/MODEL-FORMAT.md), \
            so that `seqhunt score --model` can score new data against it without retraining \
            and `seqhunt merge` can add up models trained on shards exactly. \
            --continue-from adds the input to an existing model: the result is the model of \
            both training sets together.

            Examples:
              seqhunt train last-60-days.csv --model-out baseline.seqhunt --record-type ExchangeAdmin
              seqhunt train today.csv --continue-from baseline.seqhunt --model-out baseline-new.seqhunt
            """)

    @Argument(
        help: "Sessions files or event logs (.jsonl or .csv), or none with --workspace or --cluster.",
        completion: .file())
    var inputs: [String] = []

    @Option(
        name: .customLong("model-out"), help: ArgumentHelp("Where to save the model.", valueName: "file"),
        completion: .file())
    var modelOut: String

    @Option(
        name: .customLong("continue-from"),
        help: ArgumentHelp(
            "A saved model to continue training: its counts are added to the input's.", valueName: "file"),
        completion: .file())
    var continueFrom: String?

    @OptionGroup var training: TrainingArguments
    @OptionGroup(title: "Event logs") var events: EventArguments

    #if Queries
    @OptionGroup(title: "Workspace query") var query: QueryArguments
    #endif
    @OptionGroup var statistics: StatisticsArguments

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    /// Every file this command reads: no output may replace one of them.
    var readPaths: [String] {
        #if Queries
        inputs + [continueFrom].compactMap { $0 } + query.readPaths
        #else
        inputs + [continueFrom].compactMap { $0 }
        #endif
    }

    func run() throws {
        try reportingFailures {
            try OutputPlan.check(outputs: [modelOut, statistics.stats].compactMap { $0 }, inputs: readPaths)
            var stats = RunStatistics()
            let baseline = try continueFrom.map { path in
                try stats.measure("load_model") { try Model(contentsOf: path) }
            }
            #if Queries
            let loaded = try events.load(
                inputs, query: query, execution: training.execution, quiet: quiet, recordingIn: &stats)
            #else
            let loaded = try events.load(inputs, execution: training.execution, quiet: quiet, recordingIn: &stats)
            #endif
            let model = try stats.measure("train") { try training.train(loaded.table.store, continuing: baseline) }
            try stats.measure("write") { try model.save(to: modelOut, inputs: readPaths) }
            try stats.write(to: statistics.stats, inputs: readPaths + [modelOut])
            stats.printAccounting(quiet: quiet)
            note(
                "saved a \(model.type.rawValue) model of \(model.counts.sessionCount) sessions "
                    + "(\(model.counts.eventCount) events, \(model.commandCount) commands) to \(modelOut)", quiet: quiet
            )
        }
    }
}
