package io.stratus.e2e.sqs;

import io.stratus.core.StratusConfig;
import io.stratus.testkit.StratusTest;

/** {@link SixteenConsumersIT} on the durable default store, whose synced commits widen every race. */
@StratusTest(storage = StratusConfig.Storage.ROCKSDB)
class DurableSixteenConsumersIT extends SixteenConsumersIT {}
