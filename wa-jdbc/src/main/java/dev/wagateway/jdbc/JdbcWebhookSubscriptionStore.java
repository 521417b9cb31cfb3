package dev.wagateway.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wagateway.StoreException;
import dev.wagateway.store.EncryptionKeys;
import dev.wagateway.webhook.SignatureMode;
import dev.wagateway.webhook.WebhookSecret;
import dev.wagateway.webhook.WebhookSubscription;
import dev.wagateway.webhook.WebhookSubscriptionStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link WebhookSubscriptionStore} on table {@code wa_webhook_subscription}. What is not secret
 * (url, filters, flags) is plain JSON in {@code definition}; the signing secrets and the custom
 * headers (which often carry tokens) are sealed together with AES-GCM under the application's
 * {@link EncryptionKeys}, bound to the subscription id, in {@code secret}.
 */
final class JdbcWebhookSubscriptionStore implements WebhookSubscriptionStore {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Transactions tx;
  private final EncryptionKeys keys;

  JdbcWebhookSubscriptionStore(Transactions tx, EncryptionKeys keys) {
    this.tx = tx;
    this.keys = keys;
  }

  private static String what(String id) {
    return "the secrets of webhook subscription '" + id + "'";
  }

  @Override
  public void save(WebhookSubscription s) {
    ObjectNode def = MAPPER.createObjectNode();
    def.put("url", s.url().toString()).put("sessionId", s.sessionId()).put("enabled", s.enabled())
        .put("signatureMode", s.signatureMode().name()).put("ordered", s.ordered())
        .put("maxConcurrency", s.maxConcurrency()).put("disabledReason", s.disabledReason());
    s.eventTypes().stream().sorted().forEach(def.putArray("eventTypes")::add);
    ObjectNode secret = MAPPER.createObjectNode();
    s.secrets().forEach(k -> secret.withArray("secrets").add(k.encoded()));
    ObjectNode headers = secret.putObject("headers");
    s.headers().forEach(headers::put);
    byte[] sealed = keys.seal(secret.toString().getBytes(StandardCharsets.UTF_8), s.id(), what(s.id()));
    tx.write("saving webhook subscription '" + s.id() + "'", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO wa_webhook_subscription (id, definition, secret,"
          + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET definition = excluded.definition,"
          + " secret = excluded.secret, created_at = excluded.created_at")) {
        ps.setString(1, s.id());
        ps.setString(2, def.toString());
        ps.setBytes(3, sealed);
        ps.setLong(4, Codec.nanos(s.createdAt()));
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Optional<WebhookSubscription> get(String id) {
    List<WebhookSubscription> found = select(" WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public boolean delete(String id) {
    return tx.write("deleting webhook subscription '" + id + "'", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM wa_webhook_subscription WHERE id = ?")) {
        ps.setString(1, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<WebhookSubscription> list() {
    return select(" ORDER BY created_at, id");
  }

  private List<WebhookSubscription> select(String where, String... args) {
    return tx.read("reading webhook subscriptions", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, definition, secret, created_at FROM wa_webhook_subscription" + where)) {
        Codec.bind(ps, (Object[]) args);
        List<WebhookSubscription> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(read(rs));
          }
        }
        return out;
      }
    });
  }

  private WebhookSubscription read(ResultSet rs) throws SQLException {
    String id = rs.getString(1);
    byte[] plain = keys.open(rs.getBytes(3), id, what(id));
    try {
      JsonNode def = MAPPER.readTree(rs.getString(2));
      JsonNode secret = MAPPER.readTree(plain);
      Set<String> types = new LinkedHashSet<>();
      def.path("eventTypes").forEach(t -> types.add(t.asText()));
      List<WebhookSecret> secrets = new ArrayList<>();
      secret.path("secrets").forEach(k -> secrets.add(WebhookSecret.parse("secret", k.asText())));
      Map<String, String> headers = new LinkedHashMap<>();
      secret.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      return new WebhookSubscription(id, URI.create(def.get("url").asText()), text(def, "sessionId"), types,
          secrets, headers, def.get("enabled").asBoolean(), SignatureMode.valueOf(def.get("signatureMode").asText()),
          def.get("ordered").asBoolean(), def.get("maxConcurrency").asInt(), Codec.instant(rs.getLong(4)),
          text(def, "disabledReason"));
    } catch (IOException | RuntimeException e) {
      // never e's message: it could quote the opened secret
      throw new StoreException("stored webhook subscription '" + id + "' cannot be read back: "
          + e.getClass().getSimpleName());
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
