#if canImport(Glibc)
import Glibc
#endif

/// Every output of a command, checked before the first byte of any is written: no
/// output is an input or another output (compared by `FileIdentity`, not by path
/// text), each can be written where it is to go, and standard output is named at most
/// once. Commands call ``check(outputs:inputs:creating:)`` before doing any work, so that
/// a refused run writes nothing at all.
package enum OutputPlan {
    /// - Parameters:
    ///   - outputs: the paths to be written (`-`: standard output).
    ///   - inputs: the paths read (`-`: standard input).
    ///   - creating: directories the command will create before writing into them.
    /// - Throws: ``OutputError`` naming the first output that cannot be written.
    package static func check(outputs: [String], inputs: [String], creating: [String] = []) throws {
        let read = Set(inputs.filter { $0 != "-" }.compactMap { FileIdentity(path: $0) }.filter(\.exists))
        var written: [FileIdentity: String] = [:]
        var standardOutput: String? = nil
        for output in outputs {
            if output == "-" {
                if standardOutput != nil {
                    throw OutputError(path: output, cause: "standard output is named for two outputs")
                }
                standardOutput = output
                continue
            }
            guard let identity = FileIdentity(path: output) else {
                let directory = FileIdentity.split(output).directory
                // A directory the command creates first: checked once it exists.
                if creating.contains(where: { directory == $0 || directory.hasPrefix($0 + "/") }) { continue }
                throw OutputError(path: output, cause: "directory \(directory) does not exist")
            }
            if read.contains(identity) { throw OutputError(path: output, cause: "refusing to overwrite an input file") }
            if let other = written[identity] {
                throw OutputError(
                    path: output,
                    cause: other == output ? "is given as two outputs" : "is the same file as the output \(other)")
            }
            written[identity] = output
            switch identity.kind {
            case .directory?:
                throw OutputError(path: output, cause: "is a directory")
            case .socket?, .other?, .blockDevice?:
                throw OutputError(
                    path: output, cause: "is not a regular file, a character device or a FIFO: refusing to write to it")
            case .regular?, .characterDevice?, .fifo?:
                guard SystemCall.mayAccess(output, W_OK) else {
                    throw OutputError(path: output, cause: "cannot be written (permission denied)")
                }
            case nil:
                let directory = FileIdentity.split(output).directory
                guard SystemCall.mayAccess(directory, W_OK | X_OK) else {
                    throw OutputError(path: output, cause: "cannot create a file in \(directory) (permission denied)")
                }
            }
        }
    }
}
