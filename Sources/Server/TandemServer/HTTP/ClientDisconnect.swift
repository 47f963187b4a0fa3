import NIOCore

/// Runs `operation` in a task of its own, cancelled when the client goes away first: its
/// connection closes, or it closes its side (the HTTP server allows half-closed connections, so
/// the channel itself stays open until the answer is written). A long wait then ends with its
/// client instead of holding on to a request nobody will read.
func untilClientGone<T: Sendable>(_ channel: any Channel, _ operation: @escaping @Sendable () async throws -> T)
    async throws -> T
{
    let task = Task { try await operation() }
    let watcher = InputClosedWatcher { task.cancel() }
    try? await channel.pipeline.addHandler(watcher, position: .first)
    channel.closeFuture.whenComplete { _ in task.cancel() }
    defer { channel.pipeline.removeHandler(watcher, promise: nil) }
    return try await withTaskCancellationHandler {
        try await task.value
    } onCancel: {
        task.cancel()
    }
}

/// Calls `onInputClosed` when the peer closes its side of the connection; passes every event on.
private final class InputClosedWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    let onInputClosed: @Sendable () -> Void

    init(onInputClosed: @escaping @Sendable () -> Void) {
        self.onInputClosed = onInputClosed
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { onInputClosed() }
        context.fireUserInboundEventTriggered(event)
    }
}
