// SeqHuntIO is where embedders read and write files; the formats it reads and writes them in
// (TimeParser, TimeFormat, ModelFile, InputError, ...) come with it, as one import.
@_exported import SeqHuntFormats
