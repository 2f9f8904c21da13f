package io.stratus.logs;

import io.stratus.core.Arn;
import io.stratus.core.AwsException;
import io.stratus.core.spi.ServiceCaller;
import io.stratus.core.spi.Targets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Destinations for unit tests: every target exists and allows CloudWatch Logs unless {@code refusing};
 * deliveries are recorded, or fail as {@code failure} says while it is set.
 */
final class RecordingTargets implements Targets {

    record Delivered(Arn target, byte[] payload, ServiceCaller caller) {}

    final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    volatile boolean refusing;
    volatile AwsException failure;

    @Override
    public boolean exists(Arn target) {
        return !refusing;
    }

    @Override
    public boolean allows(Arn target, ServiceCaller caller) {
        return !refusing;
    }

    @Override
    public void deliver(Arn target, byte[] payload, Options options) {
        AwsException failing = failure;
        if (failing != null) {
            throw failing;
        }
        delivered.add(new Delivered(target, payload, options.caller()));
    }
}
