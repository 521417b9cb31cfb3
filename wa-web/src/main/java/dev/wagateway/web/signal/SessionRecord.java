package dev.wagateway.web.signal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.wagateway.web.ProtocolException;
import dev.wagateway.web.proto.WaProto.SessionRecordData;
import dev.wagateway.web.proto.WaProto.SessionStateRecord;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Signal state for one peer device: the current session and a few earlier ones (a peer that
 * re-initiated may still send on an old one for a while). Immutable: the cipher works on a copy
 * and stores a new record only when a message went through, so a bad message never damages a
 * session.
 */
public final class SessionRecord {
  /** How many earlier sessions are kept besides the current one. */
  public static final int MAX_PREVIOUS = 10;

  private final SessionRecordData data;

  SessionRecord(SessionRecordData data) {
    this.data = data;
  }

  public static SessionRecord fromBytes(byte[] bytes) {
    try {
      return new SessionRecord(SessionRecordData.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolException("a stored Signal session record does not parse");
    }
  }

  public byte[] toBytes() {
    return data.toByteArray();
  }

  public boolean hasCurrentSession() {
    return data.hasCurrent();
  }

  SessionRecordData data() {
    return data;
  }

  @Nullable SessionState current() {
    return data.hasCurrent() ? SessionState.fromRecord(data.getCurrent()) : null;
  }

  List<SessionState> previous() {
    List<SessionState> out = new ArrayList<>();
    for (SessionStateRecord r : data.getPreviousList()) {
      out.add(SessionState.fromRecord(r));
    }
    return out;
  }

  /** A record with {@code state} current; the old current one is archived. */
  SessionRecord promote(SessionState state) {
    SessionRecordData.Builder b = SessionRecordData.newBuilder().setCurrent(state.toRecord());
    if (data.hasCurrent()) {
      b.addPrevious(data.getCurrent());
    }
    for (SessionStateRecord r : data.getPreviousList()) {
      if (b.getPreviousCount() < MAX_PREVIOUS) {
        b.addPrevious(r);
      }
    }
    return new SessionRecord(b.build());
  }

  /** A record where {@code state} replaces the current session. */
  SessionRecord withCurrent(SessionState state) {
    return new SessionRecord(data.toBuilder().setCurrent(state.toRecord()).build());
  }

  /** A record where an archived session (at index) became current again after a message on it. */
  SessionRecord withPreviousPromoted(int index, SessionState state) {
    SessionRecordData.Builder b = SessionRecordData.newBuilder().setCurrent(state.toRecord());
    if (data.hasCurrent()) {
      b.addPrevious(data.getCurrent());
    }
    for (int i = 0; i < data.getPreviousCount(); i++) {
      if (i != index && b.getPreviousCount() < MAX_PREVIOUS) {
        b.addPrevious(data.getPrevious(i));
      }
    }
    return new SessionRecord(b.build());
  }

  static SessionRecord empty() {
    return new SessionRecord(SessionRecordData.getDefaultInstance());
  }

  @Override
  public String toString() {
    return "SessionRecord[current=" + data.hasCurrent() + ", previous=" + data.getPreviousCount() + "]";
  }
}
