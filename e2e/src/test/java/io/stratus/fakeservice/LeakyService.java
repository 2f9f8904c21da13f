package io.stratus.fakeservice;

import io.stratus.storage.MemoryStore;
import io.stratus.sts.StsService;

/** A service that breaks every module boundary, to prove the boundary rule catches it. */
final class LeakyService {

    Object otherService(StsService sts) {
        return sts.definition();
    }

    Object eventLoop(io.netty.channel.Channel channel) {
        return channel.eventLoop();
    }

    Object storeImplementation() {
        return new MemoryStore();
    }
}
