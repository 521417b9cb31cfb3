package dev.wagateway.spring;

import dev.wagateway.ValidationException;
import dev.wagateway.jdbc.JdbcStores;
import dev.wagateway.session.Ownership;
import dev.wagateway.store.EncryptionKeys;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * {@code wa.store=jdbc}: the gateway keeps everything in wa-jdbc on the application's
 * {@link DataSource} (its tables beside the application's, Flyway history in
 * {@code wa_schema_history}). With {@code wa.instance-id} several instances share one PostgreSQL
 * and own sessions through leases; without it the schema (or SQLite file) is this process's alone.
 */
@AutoConfiguration(before = WaGatewayAutoConfiguration.class,
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(JdbcStores.class)
@ConditionalOnProperty(prefix = "wa", name = "store", havingValue = "jdbc")
public class WaJdbcAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  JdbcStores waJdbcStores(DataSource dataSource, WaProperties p) {
    return (p.getInstanceId() == null ? JdbcStores.on(dataSource) : JdbcStores.shared(dataSource)).migrate();
  }

  @Bean
  WaGatewayCustomizer waJdbcStoresCustomizer(JdbcStores stores, WaProperties p) {
    if (p.getEncryptionKey() == null || p.getEncryptionKey().isBlank()) {
      throw new ValidationException("wa.encryption-key",
          "wa.store=jdbc keeps credentials and webhook secrets in the database: set a base64 AES key");
    }
    EncryptionKeys keys;
    try {
      keys = EncryptionKeys.of("k1", p.getEncryptionKey());
    } catch (RuntimeException e) {
      throw new ValidationException("wa.encryption-key", "must be a base64 AES key of 16, 24 or 32 bytes");
    }
    return b -> {
      b.sessionStore(stores.sessionStore()).queueStore(stores.queueStore()).webhookOutbox(stores.webhookOutbox())
          .webhookSubscriptionStore(stores.webhookSubscriptionStore(keys));
      if (p.getInstanceId() != null) {
        b.ownership(p.getInstanceId(), stores.leaseStore(), Ownership.DEFAULT_TTL);
      }
    };
  }
}
