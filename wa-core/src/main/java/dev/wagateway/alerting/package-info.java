/**
 * Built-in alerting: {@link dev.wagateway.alerting.Alerts} evaluates {@link
 * dev.wagateway.alerting.AlertRule}s over the gateway's stats views and publishes {@code alert.firing}
 * and {@code alert.resolved} events. {@link dev.wagateway.alerting.BuiltInAlertRules} mirrors
 * monitoring/prometheus/alerts.yml.
 */
@NullMarked
package dev.wagateway.alerting;

import org.jspecify.annotations.NullMarked;
