package dev.captioner.upload;

import java.io.IOException;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Tomcat drains the unread rest of a body after every response, on the request thread and with no time limit: a
 * client sending one byte every few seconds would hold that thread for as long as it likes. This valve closes the
 * connection instead whenever a request is answered without its body having been read (a refusal), and gives the
 * body receiver the same switch for the bodies it gives up on.
 */
final class UnreadBodyValve extends ValveBase {

    /** Request attribute: a {@link Runnable} that makes the connection close after the response, unread body and all. */
    static final String CLOSE_AFTER_RESPONSE = UnreadBodyValve.class.getName() + ".closeAfterResponse";

    UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        Runnable closeAfterResponse = () -> {
            coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            // Tomcat counts this as an error; the refusal already written is its report, not an error page
            response.getCoyoteResponse().setErrorReported();
        };
        request.setAttribute(CLOSE_AFTER_RESPONSE, closeAfterResponse);
        getNext().invoke(request, response);
        // only refusals leave a body unread: the body receiver takes every other one in full
        if (!request.isAsync() && response.getStatus() >= 400 && hasBody(request) && !coyote.isFinished()) {
            closeAfterResponse.run();
        }
    }

    private static boolean hasBody(Request request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }
}
