/**
 * The cross-service SPIs. A service never imports another service: it calls an interface here,
 * and the server plugs in the implementation another service provides.
 */
package io.stratus.core.spi;
