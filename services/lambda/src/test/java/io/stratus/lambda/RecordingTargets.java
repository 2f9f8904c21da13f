package io.stratus.lambda;

import io.stratus.core.Arn;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Targets} that keeps what is delivered to it, for tests. Every target exists and takes anyone's deliveries. Thread-safe. */
final class RecordingTargets implements Targets {

    /** One delivery. */
    record Delivery(Arn target, byte[] payload, Options options) {}

    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    @Override
    public boolean exists(Arn target) {
        return true;
    }

    @Override
    public boolean allows(Arn target, ServiceCaller caller) {
        return true;
    }

    @Override
    public void deliver(Arn target, byte[] payload, Options options) {
        Targets.check(target, payload, options);
        deliveries.add(new Delivery(target, payload.clone(), options));
    }
}
