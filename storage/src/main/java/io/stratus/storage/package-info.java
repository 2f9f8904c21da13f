/**
 * The state layer of every Stratus service: the {@link io.stratus.storage.Store} SPI and its
 * implementations.
 *
 * <p>Services program against {@link io.stratus.storage.Store} and the types it hands out
 * ({@link io.stratus.storage.Transaction}, {@link io.stratus.storage.Snapshot},
 * {@link io.stratus.storage.Scan}), build keys with {@link io.stratus.storage.Key} and ranges with
 * {@link io.stratus.storage.KeyRange}. Only the server picks an implementation, through
 * {@link io.stratus.storage.Stores#open}: {@link io.stratus.storage.RocksDbStore} (durable, the
 * default) or {@link io.stratus.storage.MemoryStore}. Everything else in this package is
 * package-private machinery the two share.
 */
package io.stratus.storage;
