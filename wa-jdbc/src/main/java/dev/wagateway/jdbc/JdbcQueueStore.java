package dev.wagateway.jdbc;

import dev.wagateway.message.Failure;
import dev.wagateway.message.FailureType;
import dev.wagateway.message.MessageInfo;
import dev.wagateway.message.MessageStatus;
import dev.wagateway.message.OutboundMessage;
import dev.wagateway.message.StatusLog;
import dev.wagateway.queue.DeadLetterFilter;
import dev.wagateway.queue.EnqueueResult;
import dev.wagateway.queue.QueueCounts;
import dev.wagateway.queue.QueueStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@link QueueStore} on table {@code wa_message} (see V2__queue.sql). Every change is one
 * transaction that locks the message's row, applies the {@link MessageStatus} rules in Java,
 * appends a history line and tells the change listener before it commits, so a webhook outbox of
 * the same {@link JdbcStores} appends the deliveries in that transaction.
 *
 * <p>Claims on PostgreSQL use {@code FOR UPDATE SKIP LOCKED}, so dispatchers of several instances
 * never wait on each other's rows; a message's recipient order is kept by claiming only a message
 * with no older unfinished one of the same recipient. Enqueues to one recipient take a transaction
 * advisory lock, so sequence order is commit order per recipient.
 */
final class JdbcQueueStore implements QueueStore {
  private static final String INFO_COLUMNS =
      "id, request, created_at, status, history, attempts, available_at, provider_id, last_failure";
  /**
   * No older unfinished message of the same session and recipient: written as "the lowest unfinished
   * sequence number of the recipient is this one's", which a planner always answers with one probe
   * of wa_message_fifo on both key columns. The equivalent NOT EXISTS was planned, on statistics of
   * an almost empty table, as a scan of every unfinished message of the session per candidate.
   */
  private static final String IS_HEAD = " AND m.seq = (SELECT MIN(o.seq) FROM wa_message o WHERE o.session_id = m.session_id"
      + " AND o.recipient = m.recipient AND o.state IN ('W', 'A'))";
  /** The columns every insert of a message writes, in this order. */
  private static final String INSERT_INTO = "INSERT INTO wa_message (id, seq, session_id, recipient, priority, request,"
      + " created_at, state, status, attempts, available_at, history, expires_at)";
  /** Decoded requests of claimed messages: the follow-up calls tell the listener without decoding. */
  private static final int CACHE_LIMIT = 50_000;

  private final Transactions tx;
  private final boolean pg;
  private final String nextSeq;
  private final String forUpdate;
  private final ConcurrentHashMap<String, OutboundMessage> claimedCache = new ConcurrentHashMap<>();
  /** The most messages one group commit writes. */
  private static final int MAX_GROUP = 256;
  /** Enqueue calls waiting for a group commit; also the lock of {@link #writers}. */
  private final java.util.ArrayDeque<Pending> waiting = new java.util.ArrayDeque<>();
  /** Groups being written now, at most {@link #maxWriters}: PostgreSQL writes a few at once, SQLite one. */
  private int writers;
  private final int maxWriters;
  private volatile ChangeListener listener = (m, a, c) -> {};

  /**
   * PostgreSQL: the statistics of wa_message are refreshed (ANALYZE) when this store has accepted
   * 1,000 messages, then 10,000, and so on to 10 million. A prepared statement's generic plan is
   * kept until the table's statistics change; one planned on a young, nearly empty table is a
   * sequential scan, which stays in use as the table grows and made marking a batch 10x slower in a
   * fresh process until autovacuum first analyzed the table (docs/BENCHMARKS.md). ANALYZE makes
   * every backend plan again, with the table's real size.
   */
  static final long FIRST_ANALYZE = 1_000;
  private static final long LAST_ANALYZE = 10_000_000;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JdbcQueueStore.class);
  private final java.util.concurrent.atomic.AtomicLong acceptedCount = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong analyzeAt = new java.util.concurrent.atomic.AtomicLong(FIRST_ANALYZE);

  private final Fence fence;
  /** Set for a shared store on PostgreSQL: enqueues notify, and setWakeListener listens. */
  private final javax.sql.@Nullable DataSource notifyOn;
  private volatile @Nullable AutoCloseable listening;

  JdbcQueueStore(Transactions tx, Fence fence, javax.sql.@Nullable DataSource notifyOn) {
    this.tx = tx;
    this.fence = fence;
    this.notifyOn = notifyOn;
    this.pg = tx.dialect() == Dialect.POSTGRESQL;
    this.maxWriters = pg ? 4 : 1;
    this.nextSeq = pg ? "nextval('wa_message_seq')" : "(SELECT COALESCE(MAX(seq), 0) + 1 FROM wa_message)";
    this.forUpdate = pg ? " FOR UPDATE" : "";
  }

  @Override
  public synchronized void setWakeListener(java.util.function.Consumer<String> sessionHasWork) {
    if (notifyOn != null && listening == null) {
      listening = new PgNotifications(notifyOn, sessionHasWork);
    }
  }

  /** Stops listening for notifications. */
  void close() {
    AutoCloseable l = listening;
    if (l != null) {
      try {
        l.close();
      } catch (Exception ignored) {
        // a daemon thread that ends on its own
      }
    }
  }

  /** Wakes the owners of these sessions when the transaction commits (shared stores on PostgreSQL). */
  private void notifyOthers(Connection c, List<String> sessionIds) throws SQLException {
    if (notifyOn != null) {
      try (PreparedStatement ps = c.prepareStatement(sessionIds.size() == 1
          ? "SELECT pg_notify('" + PgNotifications.CHANNEL + "', ?)"
          : "SELECT pg_notify('" + PgNotifications.CHANNEL + "', s) FROM unnest(?) AS s")) {
        if (sessionIds.size() == 1) {
          ps.setString(1, sessionIds.get(0));
        } else {
          ps.setArray(1, c.createArrayOf("text", sessionIds.toArray()));
        }
        ps.executeQuery().close();
      }
    }
  }

  @Override
  public boolean prefersBatches() {
    return true;
  }

  /** As many as the enqueue's group commit runs at once: 4 on PostgreSQL, 1 on SQLite (one writer). */
  @Override
  public int concurrentWrites() {
    return maxWriters;
  }

  @Override
  public void setChangeListener(ChangeListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** The row of one message as the change methods need it. */
  private static final class Row {
    final String id;
    final String requestJson;
    final Instant createdAt;
    final char state;
    final String sessionId;
    final String recipient;
    MessageStatus status;
    int attempts;
    @Nullable OutboundMessage message;

    Row(ResultSet rs) throws SQLException {
      id = rs.getString(1);
      requestJson = rs.getString(2);
      createdAt = Codec.instant(rs.getLong(3));
      state = rs.getString(4).charAt(0);
      status = MessageStatus.valueOf(rs.getString(5));
      attempts = rs.getInt(6);
      sessionId = rs.getString(7);
      recipient = rs.getString(8);
    }

    boolean unfinished() {
      return state == 'W' || state == 'A';
    }
  }

  private @Nullable Row lock(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, request, created_at, state, status, attempts, session_id, recipient FROM wa_message"
        + " WHERE id = ?" + forUpdate)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Row(rs) : null;
      }
    }
  }

  private OutboundMessage message(String id, String requestJson, long createdAtNanos) {
    OutboundMessage cached = claimedCache.get(id);
    return cached != null ? cached : new OutboundMessage(id, Codec.request(id, requestJson), Codec.instant(createdAtNanos));
  }

  private OutboundMessage message(Row r) {
    if (r.message == null) {
      OutboundMessage cached = claimedCache.get(r.id);
      r.message = cached != null ? cached : new OutboundMessage(r.id, Codec.request(r.id, r.requestJson), r.createdAt);
    }
    return r.message;
  }

  /** Appends {@code change} to the history of {@code r}, sets its status and tells the listener. */
  private StatusLog.Change record(Connection c, Row r, StatusLog.Change change) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE wa_message SET status = ?, history = history || ? WHERE id = ?")) {
      ps.setString(1, change.status().name());
      ps.setString(2, Codec.line(change));
      ps.setString(3, r.id);
      ps.executeUpdate();
    }
    r.status = change.status();
    listener.onChange(message(r), r.attempts, change);
    return change;
  }

  /** The change to {@code next} if the status rules allow it now. */
  private static Optional<StatusLog.Change> advance(Row r, MessageStatus next, Instant at,
      @Nullable Failure failure, String cause) {
    return r.status.canAdvanceTo(next) ? Optional.of(new StatusLog.Change(next, at, failure, cause)) : Optional.empty();
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Codec.bind(ps, args);
      return ps.executeUpdate();
    }
  }

  // ---- enqueue and claim ----

  /**
   * One message to enqueue, with the time and window of its call, and its columns encoded by the
   * calling thread (not by the one writing its group).
   */
  private record Item(OutboundMessage message, Instant now, Duration window, String requestJson,
      StatusLog.Change queued, String queuedLine) {
    static Item of(OutboundMessage message, Instant now, Duration window) {
      StatusLog.Change queued = new StatusLog.Change(MessageStatus.QUEUED, message.createdAt(), null, "accepted");
      return new Item(message, now, window, Codec.request(message.request()), queued, Codec.line(queued));
    }
  }

  /** An enqueue call waiting for its group's transaction. */
  private static final class Pending {
    final Item item;
    final Thread caller = Thread.currentThread();
    /** Set once its group was written (result or error set before). */
    volatile boolean done;
    /** Set, under the queue's lock, when a finishing writer hands its slot to this call. */
    volatile boolean lead;
    @Nullable EnqueueResult result;
    @Nullable RuntimeException error;

    Pending(Item item) {
      this.item = item;
    }
  }

  /**
   * Group commit: an enqueue that finds every writer slot busy waits, and the writer that finishes
   * next hands its slot to the oldest waiting call, which stores every waiting message in one
   * transaction (one commit, a few round trips for the group). Each caller is woken alone, when its
   * group is written or its turn to write comes; it returns once its message is committed.
   */
  @Override
  public EnqueueResult enqueue(OutboundMessage m, Instant now, Duration idempotencyWindow) {
    Item item = Item.of(m, now, idempotencyWindow);
    if (tx.inTransaction()) {
      return enqueueOne(item); // joins the caller's transaction
    }
    Pending p = new Pending(item);
    boolean lead;
    synchronized (waiting) {
      waiting.add(p);
      lead = writers < maxWriters;
      if (lead) {
        writers++;
      }
    }
    boolean interrupted = false;
    while (true) {
      if (lead) {
        writeGroup();
        lead = false;
      }
      while (!p.done && !lead) {
        if (p.lead) {
          synchronized (waiting) {
            if (p.lead) { // not yet taken into another writer's group, which would have taken the slot too
              p.lead = false;
              lead = true;
            }
          }
          continue;
        }
        java.util.concurrent.locks.LockSupport.park(this);
        interrupted |= Thread.interrupted(); // it is queued or being written: wait for the outcome
      }
      if (p.done) {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        if (p.error != null) {
          throw p.error;
        }
        return Objects.requireNonNull(p.result);
      }
    }
  }

  /** Holding a writer slot: writes the waiting calls as one group, then hands the slot on or frees it. */
  private void writeGroup() {
    List<Pending> group = new ArrayList<>();
    int slots = 1;
    synchronized (waiting) {
      while (!waiting.isEmpty() && group.size() < MAX_GROUP) {
        Pending g = waiting.poll();
        if (g.lead) { // handed a slot it had not used yet: the slot is passed on with this one
          g.lead = false;
          slots++;
        }
        group.add(g);
      }
    }
    try {
      write(group);
    } finally {
      for (Pending g : group) {
        g.done = true;
        java.util.concurrent.locks.LockSupport.unpark(g.caller);
      }
      for (int i = 0; i < slots; i++) {
        handOff();
      }
    }
  }

  /** Gives a writer slot to the oldest waiting call that has none, or frees it. */
  private void handOff() {
    synchronized (waiting) {
      for (Pending w : waiting) {
        if (!w.lead) {
          w.lead = true;
          java.util.concurrent.locks.LockSupport.unpark(w.caller);
          return;
        }
      }
      writers--;
    }
  }

  /** Stores a group in one transaction; if that fails, each message on its own, so one bad one fails alone. */
  private void write(List<Pending> group) {
    if (group.size() > 1) {
      try {
        List<Item> items = group.stream().map(g -> g.item).toList();
        List<EnqueueResult> results = tx.write("enqueueing " + group.size() + " messages", c -> insertAll(c, items));
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result = results.get(i);
        }
        return;
      } catch (RuntimeException e) {
        // fall through: the group rolled back as a whole
      }
    }
    for (Pending g : group) {
      try {
        g.result = enqueueOne(g.item);
      } catch (RuntimeException e) {
        g.error = e;
      }
    }
  }

  @Override
  public List<EnqueueResult> enqueueAll(List<OutboundMessage> messages, Instant now, Duration idempotencyWindow) {
    if (messages.isEmpty()) {
      return List.of();
    }
    List<Item> items = messages.stream().map(m -> Item.of(m, now, idempotencyWindow)).toList();
    return tx.write("enqueueing " + messages.size() + " messages", c -> insertAll(c, items));
  }

  private static Instant due(Item item) {
    OutboundMessage m = item.message();
    return m.notBefore() != null && m.notBefore().isAfter(item.now()) ? m.notBefore() : item.now();
  }

  /** Counts {@code n} more accepted messages and starts the statistics refresh when a threshold is passed. */
  private void counted(int n) {
    if (!pg) {
      return;
    }
    long total = acceptedCount.addAndGet(n);
    long at = analyzeAt.get();
    if (total >= at && at <= LAST_ANALYZE && analyzeAt.compareAndSet(at, at * 10)) {
      Thread t = new Thread(this::analyze, "wa-jdbc-analyze");
      t.setDaemon(true); // a few hundred milliseconds once per decade of messages, off the caller's thread
      t.start();
    }
  }

  private EnqueueResult accepted(Item item) {
    listener.onChange(item.message(), 0, item.queued());
    return new EnqueueResult.Accepted(new MessageInfo(item.message(), MessageStatus.QUEUED, List.of(item.queued()), 0,
        due(item), null, null));
  }

  /** The key of the transaction lock on one recipient of one session (see lockRecipient). */
  private static String lockKey(String sessionId, String recipient) {
    return sessionId + '|' + recipient;
  }

  /** One message in one statement (plus its key's): the common case of a lone enqueue. */
  private EnqueueResult enqueueOne(Item item) {
    OutboundMessage m = item.message();
    String recipient = m.to().asString();
    return tx.write("enqueueing message " + m.id(), c -> {
      String key = m.idempotencyKey();
      if (key != null) {
        String original = claimKey(c, m, key, item.now(), item.window());
        if (original != null) {
          return new EnqueueResult.Duplicate(original);
        }
      }
      // on PostgreSQL the recipient lock (see lockRecipient) is taken by the same statement, before nextval
      update(c, INSERT_INTO + " SELECT ?, " + nextSeq + ", ?, ?, ?, ?, ?, 'W', 'QUEUED', 0, ?, ?, CAST(? AS BIGINT)"
          + (pg ? " FROM (SELECT pg_advisory_xact_lock(hashtext(?))) AS recipient_lock" : ""),
          pg ? new Object[] {m.id(), m.sessionId(), recipient, m.priority().ordinal(), item.requestJson(),
              m.createdAt(), due(item), item.queuedLine(), m.expiresAt(), lockKey(m.sessionId(), recipient)}
              : new Object[] {m.id(), m.sessionId(), recipient, m.priority().ordinal(), item.requestJson(),
              m.createdAt(), due(item), item.queuedLine(), m.expiresAt()});
      notifyOthers(c, List.of(m.sessionId())); // delivered at commit
      counted(1);
      return accepted(item);
    });
  }

  /**
   * Several messages in this transaction: keys first, in list order (a key used twice in the list
   * makes the second a duplicate); on PostgreSQL the recipient locks of all of them, taken in one
   * order (by hash) so two groups never wait on each other in a cycle; then every insert in one JDBC
   * batch, in list order, so per recipient the sequence follows the list.
   */
  private List<EnqueueResult> insertAll(Connection c, List<Item> items) throws SQLException {
    EnqueueResult[] results = new EnqueueResult[items.size()];
    List<Integer> accepted = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      String key = item.message().idempotencyKey();
      String original = key == null ? null : claimKey(c, item.message(), key, item.now(), item.window());
      if (original != null) {
        results[i] = new EnqueueResult.Duplicate(original);
      } else {
        accepted.add(i);
      }
    }
    if (accepted.isEmpty()) {
      return List.of(results);
    }
    if (pg) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT"
          + " hashtext(k) AS h FROM unnest(?) AS k ORDER BY h OFFSET 0) AS recipient_locks")) {
        ps.setArray(1, c.createArrayOf("text", accepted.stream().map(i -> {
          OutboundMessage m = items.get(i).message();
          return lockKey(m.sessionId(), m.to().asString());
        }).distinct().toArray()));
        ps.executeQuery().close();
      }
    }
    if (pg) {
      insertRows(c, accepted.stream().map(items::get).toList());
    } else {
      try (PreparedStatement ps = c.prepareStatement(INSERT_INTO + " VALUES (?, " + nextSeq
          + ", ?, ?, ?, ?, ?, 'W', 'QUEUED', 0, ?, ?, ?)")) {
        for (int i : accepted) {
          Item item = items.get(i);
          OutboundMessage m = item.message();
          Codec.bind(ps, m.id(), m.sessionId(), m.to().asString(), m.priority().ordinal(), item.requestJson(),
              m.createdAt(), due(item), item.queuedLine(), m.expiresAt());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    notifyOthers(c, accepted.stream().map(i -> items.get(i).message().sessionId()).distinct().toList());
    counted(accepted.size());
    for (int i : accepted) {
      results[i] = accepted(items.get(i));
    }
    return List.of(results);
  }

  /**
   * On PostgreSQL, the rows of a group in one statement over column arrays: one execution instead of
   * one per row (a JDBC batch still runs the executor once a row), and one statement text, so one
   * plan. Sequence numbers are drawn in list order: the scan of the arrays yields rows by ordinality,
   * which {@code ORDER BY} states (the planner knows that order and adds no sort; EXPLAIN shows
   * nextval computed in the scan).
   */
  private static void insertRows(Connection c, List<Item> rows) throws SQLException {
    int n = rows.size();
    Object[] ids = new Object[n];
    Object[] sessions = new Object[n];
    Object[] recipients = new Object[n];
    Object[] priorities = new Object[n];
    Object[] requests = new Object[n];
    Object[] created = new Object[n];
    Object[] available = new Object[n];
    Object[] history = new Object[n];
    Object[] expiries = new Object[n];
    for (int i = 0; i < n; i++) {
      Item item = rows.get(i);
      OutboundMessage m = item.message();
      ids[i] = m.id();
      sessions[i] = m.sessionId();
      recipients[i] = m.to().asString();
      priorities[i] = (short) m.priority().ordinal();
      requests[i] = item.requestJson();
      created[i] = Codec.nanos(m.createdAt());
      available[i] = Codec.nanos(due(item));
      history[i] = item.queuedLine();
      expiries[i] = m.expiresAt() == null ? null : Codec.nanos(m.expiresAt());
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_INTO + " SELECT v.id, nextval('wa_message_seq'),"
        + " v.session_id, v.recipient, v.priority, v.request, v.created_at, 'W', 'QUEUED', 0, v.available_at, v.history,"
        + " v.expires_at FROM unnest(?::text[], ?::text[], ?::text[], ?::smallint[], ?::text[], ?::bigint[], ?::bigint[],"
        + " ?::text[], ?::bigint[]) WITH ORDINALITY"
        + " AS v(id, session_id, recipient, priority, request, created_at, available_at, history, expires_at, ord)"
        + " ORDER BY v.ord")) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("text", sessions));
      ps.setArray(3, c.createArrayOf("text", recipients));
      ps.setArray(4, c.createArrayOf("int2", priorities));
      ps.setArray(5, c.createArrayOf("text", requests));
      ps.setArray(6, c.createArrayOf("int8", created));
      ps.setArray(7, c.createArrayOf("int8", available));
      ps.setArray(8, c.createArrayOf("text", history));
      ps.setArray(9, c.createArrayOf("int8", expiries));
      ps.executeUpdate();
    }
  }

  /**
   * On PostgreSQL, holds a transaction lock on one recipient of one session until commit, so the
   * sequence numbers of messages to one recipient are taken in commit order (a sequence alone is not
   * transactional: a later number could commit first and be claimed before an earlier one). On
   * SQLite the writer lock already orders everything.
   */
  private void lockRecipient(Connection c, String sessionId, String recipient) throws SQLException {
    if (pg) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
        ps.setString(1, lockKey(sessionId, recipient));
        ps.executeQuery().close();
      }
    }
  }

  /**
   * Takes the idempotency key for {@code m}, or returns the id of the message that holds it within
   * its window. The insert waits on a concurrent one with the same key, so exactly one wins.
   */
  private static @Nullable String claimKey(Connection c, OutboundMessage m, String key, Instant now,
      Duration window) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO wa_idempotency (session_id, idem_key, message_id,"
        + " expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id, idem_key) DO UPDATE SET"
        + " message_id = excluded.message_id, expires_at = excluded.expires_at"
        + " WHERE wa_idempotency.expires_at <= ? RETURNING message_id")) {
      Codec.bind(ps, m.sessionId(), key, m.id(), now.plus(window), now);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return null; // ours now
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT message_id FROM wa_idempotency WHERE session_id = ? AND idem_key = ?")) {
      Codec.bind(ps, m.sessionId(), key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("idempotency key vanished while it was being checked");
        }
        return rs.getString(1);
      }
    }
  }

  private record ClaimRow(Claimed claimed, int priority, long seq) {}

  private static final Comparator<ClaimRow> CLAIM_ORDER =
      Comparator.comparingInt(ClaimRow::priority).thenComparingLong(ClaimRow::seq);

  @Override
  public List<Claimed> claim(String sessionId, Instant now, int max, Duration lease) {
    return claim(sessionId, now, max, lease, null);
  }

  /**
   * On PostgreSQL one statement claims and marks (see {@link #claim(String, Instant, int, Duration,
   * Collection)}); on SQLite the claim and the first message's mark share one transaction, so one
   * commit, under the writer lock.
   */
  @Override
  public List<Claimed> claimFirstSending(String sessionId, Instant now, int max, Duration lease,
      Collection<String> heldRecipients) {
    Objects.requireNonNull(heldRecipients, "heldRecipients");
    if (pg) {
      return claim(sessionId, now, max, lease, heldRecipients);
    }
    try {
      return tx.write("claiming messages of session " + sessionId, c -> {
        List<Claimed> claimed = claim(sessionId, now, max, lease, null); // joins this transaction
        if (claimed.isEmpty() || !mayMark(claimed.get(0), now, heldRecipients)) {
          return claimed;
        }
        markSendingAll(List.of(claimed.get(0).id()), now);
        List<Claimed> out = new ArrayList<>(claimed);
        out.set(0, claimed.get(0).markedSending());
        return out;
      });
    } catch (dev.wagateway.FencedException fenced) {
      return List.of(); // rolled back: nothing claimed
    }
  }

  private static boolean mayMark(Claimed first, Instant now, Collection<String> heldRecipients) {
    return !first.expiredAt(now) && !heldRecipients.contains(first.message().to().asString());
  }

  /**
   * Claims, and with {@code heldRecipients} (PostgreSQL only) marks the first claimed message
   * SENDING in the same statement, unless it expired or goes to a held recipient.
   */
  private List<Claimed> claim(String sessionId, Instant now, int max, Duration lease,
      @Nullable Collection<String> heldRecipients) {
    boolean marking = heldRecipients != null;
    String pick = "SELECT m.id" + (marking ? ", m.priority, m.seq, m.recipient, m.status, m.expires_at" : "")
        + " FROM wa_message m WHERE m.session_id = ? AND m.state = 'W' AND m.available_at <= ?"
        + IS_HEAD + " ORDER BY m.priority, m.seq LIMIT ?" + (pg ? " FOR UPDATE SKIP LOCKED" : "");
    var owned = fence.of(sessionId);
    boolean own = !tx.inTransaction(); // a caller's transaction keeps its own settings
    // The pick must walk wa_message_claim in its order and stop at the limit. With statistics of a busy
    // table the planner prefers a bitmap scan of every waiting message of the session plus a sort: a
    // bitmap scan never marks dead index entries, so each claim visits every message claimed since the
    // last vacuum (5-10 ms a claim at 10,000 messages/s); and on a young table it picks a sequential
    // scan, which a cached plan keeps as the table grows. Both are turned off for this transaction
    // only. The claim also commits without waiting for the WAL flush: a lease lost with the database
    // costs nothing (leases are freed at start anyway), and so does a SENDING mark (see markSendingAll).
    //
    // On its own connection the settings and the claim go as one composite statement in autocommit:
    // pgjdbc sends both, then one Sync, and PostgreSQL runs everything before a Sync in one implicit
    // transaction (the settings hold for the claim's planning, which happens when it is bound, after
    // the first statement ran) and commits it at the Sync. One round trip instead of three (the
    // settings, the claim, COMMIT); PgImplicitTransactionTest pins that behaviour. A claim that marks
    // runs in a transaction instead: the listener is told of the mark before it commits.
    //
    // The claim also keeps one generic plan (plan_cache_mode, read when the claim is bound): with
    // statistics of a skewed table (one session with thousands waiting, another with one) the server
    // costed each session's custom plan below the generic one and planned every claim anew, about
    // 1.5 ms of its CPU each; the generic plan is the same walk of wa_message_claim (PgGenericPlanTest).
    String settings = "SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),"
        + " set_config('synchronous_commit', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)";
    String fenced = owned.isPresent() ? Fence.condition("wa_message.session_id") : "";
    String columns = " RETURNING wa_message.id, wa_message.request, wa_message.created_at, wa_message.attempts,"
        + " wa_message.available_at, wa_message.priority, wa_message.seq";
    // Marking: the head of the pick (claim order) is marked as markSendingAll marks a message (the
    // attempt counted; SENDING and its history line only from QUEUED) when it may go. RETURNING then
    // also says which row was marked and whether its status changed.
    String claim = !marking ? "UPDATE wa_message SET state = 'A', lease_until = ? WHERE id IN (" + pick + ")" + fenced
        + columns
        : "WITH pick AS (" + pick + "), mark AS (SELECT h.id, h.status = 'QUEUED' AS changes"
        + " FROM (SELECT * FROM pick ORDER BY priority, seq LIMIT 1) AS h"
        + " WHERE (h.expires_at IS NULL OR h.expires_at > ?) AND h.recipient <> ALL(?))"
        + " UPDATE wa_message SET state = 'A', lease_until = ?,"
        + " attempts = wa_message.attempts + CASE WHEN mark.id IS NULL THEN 0 ELSE 1 END,"
        + " status = CASE WHEN mark.changes THEN 'SENDING' ELSE wa_message.status END,"
        + " history = CASE WHEN mark.changes THEN wa_message.history || ? || (wa_message.attempts + 1) || ?"
        + " ELSE wa_message.history END"
        + " FROM pick LEFT JOIN mark ON mark.id = pick.id WHERE wa_message.id = pick.id" + fenced
        + columns + ", mark.id IS NOT NULL, mark.changes IS TRUE";
    boolean composite = pg && own;
    Transactions.Work<List<Claimed>> work = c -> {
      try (PreparedStatement ps = c.prepareStatement(composite ? settings + "; " + claim : claim)) {
        int i;
        if (marking) {
          Codec.bind(ps, sessionId, now, max, now, c.createArrayOf("text", heldRecipients.toArray()), now.plus(lease),
              SENDING_LINE_START.apply(now), SENDING_LINE_END);
          i = 9;
        } else {
          Codec.bind(ps, now.plus(lease), sessionId, now, max);
          i = 5;
        }
        if (owned.isPresent()) {
          Fence.bind(ps, i, owned.get(), now);
        }
        List<ClaimRow> rows = new ArrayList<>();
        try (ResultSet rs = rows(ps, composite)) {
          while (rs.next()) {
            String id = rs.getString(1);
            OutboundMessage m = new OutboundMessage(id, Codec.request(id, rs.getString(2)),
                Codec.instant(rs.getLong(3)));
            int attempts = rs.getInt(4);
            boolean marked = marking && rs.getBoolean(8);
            if (marked && rs.getBoolean(9)) {
              listener.onChange(m, attempts, new StatusLog.Change(MessageStatus.SENDING, now, null, "attempt " + attempts));
            }
            Claimed claimed = new Claimed(m, marked ? attempts - 1 : attempts, Codec.instant(rs.getLong(5)), marked);
            rows.add(new ClaimRow(claimed, rs.getInt(6), rs.getLong(7)));
          }
        }
        rows.sort(CLAIM_ORDER); // RETURNING has no order of its own; a marked row is the head, so first
        return rows.stream().map(ClaimRow::claimed).toList();
      }
    };
    String what = "claiming messages of session " + sessionId;
    List<Claimed> out = marking ? tx.write(what, work) : tx.single(what, work);
    if (claimedCache.size() > CACHE_LIMIT) {
      claimedCache.clear(); // leases taken over by another instance leave entries behind
    }
    for (Claimed cl : out) {
      claimedCache.put(cl.id(), cl.message());
    }
    return out;
  }

  @Override
  public void release(String id, Instant availableAt) {
    tx.single("releasing message " + id, c -> update(c,
        "UPDATE wa_message SET state = 'W', lease_until = NULL, available_at = ? WHERE id = ? AND state = 'A'",
        availableAt, id));
  }

  // ---- the changes of an attempt ----

  @Override
  public Optional<StatusLog.Change> markSending(String id, Instant at) {
    return markSendingAll(List.of(id), at).get(0);
  }

  /**
   * A SENDING history line as Codec.line writes it, in two parts around the attempt number, which
   * only the database knows: the statements that mark build the line in SQL.
   */
  private static final java.util.function.Function<Instant, String> SENDING_LINE_START =
      at -> "{\"s\":\"SENDING\",\"at\":" + Codec.nanos(at) + ",\"cause\":\"attempt ";
  private static final String SENDING_LINE_END = "\"}\n";

  /**
   * The common case, QUEUED → SENDING for every id, is one statement (the history line is built in
   * SQL exactly as Codec.line builds it, because only the database knows the attempt number); an id
   * it did not change takes the row-by-row path, in the same transaction.
   */
  @Override
  public List<Optional<StatusLog.Change>> markSendingAll(List<String> ids, Instant at) {
    if (ids.isEmpty()) {
      return List.of();
    }
    // the statement is fenced by the lease of the ids' one session; ids of several fenced sessions go row by row
    Optional<dev.wagateway.store.LeaseStore.Lease> owned = Optional.empty();
    boolean oneStatement = true;
    String session = null;
    for (String id : ids) {
      OutboundMessage m = claimedCache.get(id);
      if (m == null || m.sessionId().equals(session)) {
        continue;
      }
      var lease = fence.of(m.sessionId());
      if (session != null && (lease.isPresent() || owned.isPresent())) {
        oneStatement = false;
      }
      session = m.sessionId();
      owned = owned.isPresent() ? owned : lease;
    }
    boolean fast = oneStatement;
    boolean noFlushWait = pg && !tx.inTransaction(); // a caller's transaction keeps its own settings
    // One id (the dispatcher marks a batch's first message alone) is "id IN (?)" on PostgreSQL too: for
    // "= ANY(?)" the server cannot know the array's length from a generic plan, so it planned the
    // statement anew at every call (pg_prepared_statements: 955 generic, 38,399 custom plans in a
    // benchmark run), where "id IN (?)" of one id keeps one generic plan; a batch keeps "= ANY(?)" (one
    // text for every size) and forces the generic plan for its transaction
    boolean array = pg && ids.size() > 1;
    boolean generic = array && noFlushWait; // a batch: see GENERIC_PLANS
    var fencedBy = owned;
    return tx.write(ids.size() == 1 ? "marking message " + ids.get(0) + " sending"
        : "marking " + ids.size() + " messages sending", c -> {
      Map<String, Object[]> updated = new HashMap<>();
      if (fast) {
        // On PostgreSQL this commits without waiting for the WAL flush, as a claim does: a SENDING
        // mark lost with the database changes nothing, since a message claimed or SENDING when its
        // lease ends is sent again either way (docs/operations.md)
        try (PreparedStatement ps = c.prepareStatement((generic ? GENERIC_PLANS : "") + "UPDATE wa_message SET attempts = attempts + 1,"
            + " status = 'SENDING', history = history || ? || (attempts + 1) || ?"
            + (noFlushWait ? " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait" : "")
            + " WHERE id"
            + (array ? " = ANY(?)" : " IN (" + marks(ids.size()) + ")") // on PostgreSQL one text, so one plan
            + " AND status = 'QUEUED'" + (fencedBy.isPresent() ? Fence.condition("wa_message.session_id") : "")
            + " RETURNING id, attempts, request, created_at")) {
          ps.setString(1, SENDING_LINE_START.apply(at));
          ps.setString(2, SENDING_LINE_END);
          int i = 3;
          if (array) {
            ps.setArray(i++, c.createArrayOf("text", ids.toArray()));
          } else {
            for (String id : ids) {
              ps.setString(i++, id);
            }
          }
          if (fencedBy.isPresent()) {
            Fence.bind(ps, i, fencedBy.get(), at);
          }
          try (ResultSet rs = rows(ps, generic)) {
            while (rs.next()) {
              updated.put(rs.getString(1), new Object[] {rs.getInt(2), rs.getString(3), rs.getLong(4)});
            }
          }
        }
      }
      List<Optional<StatusLog.Change>> out = new ArrayList<>(ids.size());
      for (String id : ids) {
        Object[] row = updated.remove(id); // removed: an id listed twice is changed once
        if (row != null) {
          int attempts = (Integer) row[0];
          StatusLog.Change ch = new StatusLog.Change(MessageStatus.SENDING, at, null, "attempt " + attempts);
          listener.onChange(message(id, (String) row[1], (Long) row[2]), attempts, ch);
          out.add(Optional.of(ch));
        } else {
          out.add(markSendingRow(c, id, at));
        }
      }
      return out;
    });
  }

  /** Refreshes the table's statistics (see FIRST_ANALYZE); a user that may not is told once, and autovacuum does it later. */
  private void analyze() {
    try {
      tx.single("refreshing the statistics of wa_message", c -> {
        try (java.sql.Statement st = c.createStatement()) {
          return st.execute("ANALYZE wa_message");
        }
      });
    } catch (RuntimeException e) {
      if (analyzeAt.getAndSet(Long.MAX_VALUE) != Long.MAX_VALUE) {
        log.info("not refreshing the statistics of wa_message ({}); PostgreSQL's autovacuum will", e.getMessage());
      }
    }
  }

  /**
   * In front of a statement of this store's own transaction on PostgreSQL: the statement and the
   * ones after it until the commit keep a generic plan. For an array parameter (a batch's ids or
   * acks) the server cannot cost a generic plan from the parameters and would plan every call anew;
   * the generic plans are the primary-key lookups a custom plan makes. Read when the next statement is
   * bound, so it goes with it as one composite statement: no round trip of its own.
   */
  private static final String GENERIC_PLANS = "SELECT set_config('plan_cache_mode', 'force_generic_plan', true); ";

  /** Runs {@code ps}; with a settings statement in front ({@code afterSettings}), returns the second statement's rows. */
  private static ResultSet rows(PreparedStatement ps, boolean afterSettings) throws SQLException {
    if (!afterSettings) {
      return ps.executeQuery();
    }
    ps.execute();
    if (!ps.getMoreResults()) {
      throw new SQLException("the statement gave no result after its settings statement");
    }
    return ps.getResultSet();
  }

  /** {@code n} comma-separated parameter marks. */
  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private Optional<StatusLog.Change> markSendingRow(Connection c, String id, Instant at) throws SQLException {
    Row r = lock(c, id);
    if (r == null) {
      return Optional.empty();
    }
    fence.check(c, r.sessionId, at); // a stale owner must not send
    r.attempts++;
    update(c, "UPDATE wa_message SET attempts = ? WHERE id = ?", r.attempts, id);
    Optional<StatusLog.Change> ch = advance(r, MessageStatus.SENDING, at, null, "attempt " + r.attempts);
    return ch.isPresent() ? Optional.of(record(c, r, ch.get())) : ch;
  }

  @Override
  public Optional<StatusLog.Change> markSent(String id, String providerMessageId, Instant at) {
    return markSentAll(List.of(new Ack(id, providerMessageId, at))).get(0);
  }

  /**
   * The common case, QUEUED or SENDING → SENT for every ack, is one statement over a list of rows;
   * an ack it did not apply (a later status, a second ack of one id) takes the row-by-row path, in
   * the same transaction.
   */
  @Override
  public List<Optional<StatusLog.Change>> markSentAll(List<Ack> acks) {
    if (acks.isEmpty()) {
      return List.of();
    }
    boolean own = !tx.inTransaction(); // a caller's transaction keeps its own settings
    List<Optional<StatusLog.Change>> result = tx.write(acks.size() == 1 ? "marking message " + acks.get(0).id()
        + " sent" : "marking " + acks.size() + " messages sent", c -> {
      Map<String, Ack> first = new java.util.LinkedHashMap<>();
      for (Ack a : acks) {
        first.putIfAbsent(a.id(), a);
      }
      // the acks as rows: on PostgreSQL four arrays (one statement text, so one plan), on SQLite a union;
      // one ack is a row of parameters on PostgreSQL too, which keeps a generic plan (for unnest of an
      // array parameter the server planned anew at every call, as for "= ANY(?)" in markSendingAll)
      boolean arrays = pg && first.size() > 1;
      boolean generic = arrays && own; // see GENERIC_PLANS
      StringBuilder rows = new StringBuilder();
      if (arrays) {
        rows.append("SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[]) AS a(id, provider, at, line)");
      } else {
        for (int i = 0; i < first.size(); i++) {
          rows.append(i == 0 ? "SELECT ? AS id, ? AS provider, CAST(? AS BIGINT) AS at, ? AS line"
              : " UNION ALL SELECT ?, ?, ?, ?");
        }
      }
      Map<String, Object[]> updated = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement((generic ? GENERIC_PLANS : "") + "UPDATE wa_message SET provider_id = v.provider, status = 'SENT',"
          + " finished_at = CASE WHEN wa_message.state IN ('W', 'A') THEN v.at ELSE wa_message.finished_at END,"
          + " state = CASE WHEN wa_message.state IN ('W', 'A') THEN 'F' ELSE wa_message.state END,"
          + " lease_until = NULL, history = wa_message.history || v.line FROM (" + rows + ") AS v"
          + " WHERE wa_message.id = v.id AND wa_message.status IN ('QUEUED', 'SENDING')"
          + " RETURNING wa_message.id, wa_message.attempts, wa_message.request, wa_message.created_at")) {
        if (arrays) {
          List<Ack> list = List.copyOf(first.values());
          ps.setArray(1, c.createArrayOf("text", list.stream().map(Ack::id).toArray()));
          ps.setArray(2, c.createArrayOf("text", list.stream().map(Ack::providerMessageId).toArray()));
          ps.setArray(3, c.createArrayOf("bigint", list.stream().map(a -> Codec.nanos(a.at())).toArray()));
          ps.setArray(4, c.createArrayOf("text", list.stream().map(a -> Codec.line(sent(a.at()))).toArray()));
        } else {
          int i = 1;
          for (Ack a : first.values()) {
            ps.setString(i++, a.id());
            ps.setString(i++, a.providerMessageId());
            ps.setLong(i++, Codec.nanos(a.at()));
            ps.setString(i++, Codec.line(sent(a.at())));
          }
        }
        try (ResultSet rs = rows(ps, generic)) {
          while (rs.next()) {
            updated.put(rs.getString(1), new Object[] {rs.getInt(2), rs.getString(3), rs.getLong(4)});
          }
        }
      }
      List<Optional<StatusLog.Change>> out = new ArrayList<>(acks.size());
      for (Ack a : acks) {
        Object[] row = first.get(a.id()) == a ? updated.get(a.id()) : null;
        if (row != null) {
          StatusLog.Change ch = sent(a.at());
          listener.onChange(message(a.id(), (String) row[1], (Long) row[2]), (Integer) row[0], ch);
          out.add(Optional.of(ch));
        } else {
          out.add(markSentRow(c, a));
        }
      }
      return out;
    });
    for (Ack a : acks) {
      claimedCache.remove(a.id());
    }
    return result;
  }

  private static StatusLog.Change sent(Instant at) {
    return new StatusLog.Change(MessageStatus.SENT, at, null, "acknowledged");
  }

  private Optional<StatusLog.Change> markSentRow(Connection c, Ack a) throws SQLException {
    Row r = lock(c, a.id());
    if (r == null) {
      return Optional.empty();
    }
    if (r.unfinished()) {
      update(c, "UPDATE wa_message SET provider_id = ?, state = 'F', lease_until = NULL, finished_at = ? WHERE id = ?",
          a.providerMessageId(), a.at(), a.id());
    } else {
      update(c, "UPDATE wa_message SET provider_id = ? WHERE id = ?", a.providerMessageId(), a.id());
    }
    Optional<StatusLog.Change> ch = advance(r, MessageStatus.SENT, a.at(), null, "acknowledged");
    return ch.isPresent() ? Optional.of(record(c, r, ch.get())) : ch;
  }

  @Override
  public List<StatusLog.Change> retry(String id, Failure failure, Instant at, Instant retryAt) {
    List<StatusLog.Change> result = tx.write("scheduling a retry of message " + id, c -> {
      Row r = lock(c, id);
      if (r == null) {
        return List.of();
      }
      List<StatusLog.Change> changes = new ArrayList<>(2);
      Optional<StatusLog.Change> failed = advance(r, MessageStatus.FAILED, at, failure, failure.code());
      if (failed.isPresent()) {
        changes.add(record(c, r, failed.get()));
      }
      update(c, "UPDATE wa_message SET last_failure = ?, failure_type = ? WHERE id = ?", Codec.failure(failure),
          failure.type().name(), id);
      if (r.status.isAccepted() || !r.unfinished()) {
        return changes; // accepted meanwhile (a late ack): nothing to retry
      }
      update(c, "UPDATE wa_message SET state = 'W', lease_until = NULL, available_at = ? WHERE id = ?", retryAt, id);
      changes.add(record(c, r, new StatusLog.Change(MessageStatus.QUEUED, at, null,
          "retry " + (r.attempts + 1) + " due " + retryAt)));
      return changes;
    });
    claimedCache.remove(id);
    return result;
  }

  @Override
  public List<StatusLog.Change> deadLetter(String id, Failure failure, Instant at) {
    List<StatusLog.Change> result = tx.write("dead-lettering message " + id, c -> {
      Row r = lock(c, id);
      if (r == null) {
        return List.of();
      }
      List<StatusLog.Change> changes = new ArrayList<>(2);
      if (r.status == MessageStatus.SENDING) {
        Optional<StatusLog.Change> failed = advance(r, MessageStatus.FAILED, at, failure, failure.code());
        if (failed.isPresent()) {
          changes.add(record(c, r, failed.get()));
        }
      }
      Optional<StatusLog.Change> dead = advance(r, MessageStatus.DEAD_LETTERED, at, failure,
          failure.type().name().toLowerCase(Locale.ROOT));
      if (dead.isEmpty()) {
        return changes;
      }
      update(c, "UPDATE wa_message SET state = 'D', lease_until = NULL, dead_at = ?, last_failure = ?,"
          + " failure_type = ? WHERE id = ?", at, Codec.failure(failure), failure.type().name(), id);
      changes.add(record(c, r, dead.get()));
      return changes;
    });
    claimedCache.remove(id);
    return result;
  }

  @Override
  public Optional<Receipt> applyReceipt(String providerMessageId, MessageStatus status, Instant at,
      @Nullable Failure failure) {
    return tx.write("applying a receipt", c -> {
      String id;
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM wa_message WHERE provider_id = ?")) {
        ps.setString(1, providerMessageId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          id = rs.getString(1);
        }
      }
      Row r = lock(c, id);
      if (r == null) {
        return Optional.empty();
      }
      Optional<StatusLog.Change> ch = advance(r, status, at, failure, "receipt");
      if (ch.isEmpty()) {
        return Optional.empty();
      }
      if (failure != null && status == MessageStatus.FAILED) {
        update(c, "UPDATE wa_message SET last_failure = ?, failure_type = ? WHERE id = ?",
            Codec.failure(failure), failure.type().name(), id);
      }
      // the listener sees the change before the receipt's info is read, both inside the transaction
      record(c, r, ch.get());
      return Optional.of(new Receipt(info(c, id).orElseThrow(), ch.get()));
    });
  }

  @Override
  public Optional<StatusLog.Change> cancel(String id, Instant at) {
    return tx.write("cancelling message " + id, c -> {
      Row r = lock(c, id);
      if (r == null || r.state != 'W' || r.status != MessageStatus.QUEUED) {
        return Optional.empty();
      }
      Failure f = Failure.of(FailureType.CANCELLED, "cancelled", "cancelled by request");
      update(c, "UPDATE wa_message SET state = 'F', finished_at = ?, last_failure = ?, failure_type = ?"
          + " WHERE id = ?", at, Codec.failure(f), f.type().name(), id);
      return Optional.of(record(c, r, new StatusLog.Change(MessageStatus.FAILED, at, f, "cancelled")));
    });
  }

  // ---- reads ----

  @Override
  public List<String> unfinishedIds(String sessionId) {
    return tx.read("listing unfinished messages of session " + sessionId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id FROM wa_message WHERE session_id = ? AND state IN ('W', 'A') ORDER BY seq")) {
        ps.setString(1, sessionId);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Optional<MessageInfo> get(String id) {
    return tx.read("reading message " + id, c -> info(c, id));
  }

  private static Optional<MessageInfo> info(Connection c, String id) throws SQLException {
    List<MessageInfo> found = infos(c, "SELECT " + INFO_COLUMNS + " FROM wa_message WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static List<MessageInfo> infos(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Codec.bind(ps, args);
      List<MessageInfo> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          OutboundMessage m = new OutboundMessage(id, Codec.request(id, rs.getString(2)), Codec.instant(rs.getLong(3)));
          out.add(new MessageInfo(m, MessageStatus.valueOf(rs.getString(4)), Codec.changes(rs.getString(5)),
              rs.getInt(6), Codec.instant(rs.getLong(7)), rs.getString(8), Codec.failure(rs.getString(9))));
        }
      }
      return out;
    }
  }

  @Override
  public Optional<MessageInfo> findByProvider(String providerMessageId) {
    return tx.read("finding a message by provider id", c -> {
      List<MessageInfo> found = infos(c, "SELECT " + INFO_COLUMNS + " FROM wa_message WHERE provider_id = ?",
          providerMessageId);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    });
  }

  /** The WHERE clause of a dead-letter filter and its arguments. */
  private static String deadWhere(DeadLetterFilter f, List<Object> args) {
    StringBuilder w = new StringBuilder(" WHERE state = 'D'");
    if (f.sessionId() != null) {
      w.append(" AND session_id = ?");
      args.add(f.sessionId());
    }
    if (f.failureType() != null) {
      w.append(" AND failure_type = ?");
      args.add(f.failureType().name());
    }
    if (f.since() != null) {
      w.append(" AND dead_at >= ?");
      args.add(f.since());
    }
    if (f.until() != null) {
      w.append(" AND dead_at < ?");
      args.add(f.until());
    }
    return w.toString();
  }

  @Override
  public List<MessageInfo> deadLetters(DeadLetterFilter filter) {
    List<Object> args = new ArrayList<>();
    String sql = "SELECT " + INFO_COLUMNS + " FROM wa_message" + deadWhere(filter, args)
        + " ORDER BY dead_at, seq LIMIT " + filter.limit();
    return tx.read("listing dead letters", c -> infos(c, sql, args.toArray()));
  }

  @Override
  public Optional<StatusLog.Change> replay(String id, Instant at) {
    return tx.write("replaying message " + id, c -> {
      Row r = lock(c, id);
      if (r == null || r.state != 'D') {
        return Optional.empty();
      }
      r.attempts = 0;
      lockRecipient(c, r.sessionId, r.recipient);
      update(c, "UPDATE wa_message SET state = 'W', attempts = 0, dead_at = NULL, available_at = ?, seq = "
          + nextSeq + " WHERE id = ?", at, id);
      return Optional.of(record(c, r, new StatusLog.Change(MessageStatus.QUEUED, at, null,
          "replayed from the dead-letter queue")));
    });
  }

  @Override
  public int purge(DeadLetterFilter filter) {
    List<Object> args = new ArrayList<>();
    String sql = "DELETE FROM wa_message" + deadWhere(filter, args);
    return tx.single("purging dead letters", c -> update(c, sql, args.toArray()));
  }

  @Override
  public int requeueLeases(Instant leasedUntil, Instant dueAt) {
    return tx.single("requeueing expired leases", c -> update(c, "UPDATE wa_message SET state = 'W',"
        + " lease_until = NULL, available_at = ? WHERE state = 'A' AND lease_until <= ?", dueAt, leasedUntil));
  }

  @Override
  public int requeueSessionLeases(String sessionId, Instant dueAt) {
    return tx.single("requeueing the leases of session " + sessionId, c -> update(c, "UPDATE wa_message SET"
        + " state = 'W', lease_until = NULL, available_at = ? WHERE session_id = ? AND state = 'A'", dueAt, sessionId));
  }

  @Override
  public Optional<Instant> nextDue(String sessionId) {
    return tx.read("finding the next due message of session " + sessionId, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT MIN(m.available_at) FROM wa_message m"
          + " WHERE m.session_id = ? AND m.state = 'W'" + IS_HEAD)) {
        ps.setString(1, sessionId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long v = rs.getLong(1);
          return rs.wasNull() ? Optional.empty() : Optional.of(Codec.instant(v));
        }
      }
    });
  }

  @Override
  public Map<String, QueueCounts> counts() {
    return tx.read("counting the queue", c -> {
      Map<String, QueueCounts> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT session_id, state, COUNT(*) FROM wa_message"
          + " WHERE state IN ('W', 'A', 'D') GROUP BY session_id, state");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long n = rs.getLong(3);
          QueueCounts add = switch (rs.getString(2).charAt(0)) {
            case 'W' -> new QueueCounts(n, 0, 0);
            case 'A' -> new QueueCounts(0, n, 0);
            default -> new QueueCounts(0, 0, n);
          };
          out.merge(rs.getString(1), add, QueueCounts::plus);
        }
      }
      return out;
    });
  }

  @Override
  public int pruneFinished(Instant cutoff) {
    return tx.write("pruning finished messages", c -> {
      int n = update(c, "DELETE FROM wa_message WHERE state = 'F' AND finished_at < ?", cutoff);
      update(c, "DELETE FROM wa_idempotency WHERE expires_at < ?", cutoff);
      return n;
    });
  }

  @Override
  public void ping() {
    tx.ping("wa_message", "the message table");
  }
}
