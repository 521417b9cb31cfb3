package dev.wagateway.examples.boot;

import dev.wagateway.SessionNotFoundException;
import dev.wagateway.ValidationException;
import dev.wagateway.WaGateway;
import dev.wagateway.message.MessageRequest;
import dev.wagateway.message.OutboundMessage;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /send {"session":…,"to":…,"text":…}}: queues a text message, answers 202 with its id. */
@RestController
class SendController {
  private final WaGateway gateway;

  SendController(WaGateway gateway) {
    this.gateway = gateway;
  }

  record SendRequest(String session, String to, String text) {}

  @PostMapping("/send")
  ResponseEntity<Map<String, String>> send(@RequestBody SendRequest r) {
    OutboundMessage m = gateway.send(MessageRequest.builder().session(r.session()).to(r.to()).text(r.text()).build());
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", m.id(), "status", "QUEUED"));
  }

  @ExceptionHandler(ValidationException.class)
  ProblemDetail invalid(ValidationException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    p.setProperty("field", e.field());
    return p;
  }

  @ExceptionHandler(SessionNotFoundException.class)
  ProblemDetail unknownSession(SessionNotFoundException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
  }
}
