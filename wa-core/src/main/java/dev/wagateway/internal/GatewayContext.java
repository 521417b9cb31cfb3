package dev.wagateway.internal;

import dev.wagateway.engine.Engine;
import dev.wagateway.observe.MetricsTracker;
import dev.wagateway.observe.OperationObserver;
import dev.wagateway.session.ReconnectPolicy;
import dev.wagateway.session.WatchdogPolicy;
import dev.wagateway.store.SessionStore;
import dev.wagateway.time.TaskScheduler;

/** What every part of one gateway shares. */
record GatewayContext(
    TaskScheduler scheduler,
    EventBus bus,
    Ids ids,
    SessionStore store,
    Engine engine,
    ReconnectPolicy reconnect,
    WatchdogPolicy watchdog,
    MetricsTracker metrics,
    OperationObserver observer,
    GatewayMedia media) {}
