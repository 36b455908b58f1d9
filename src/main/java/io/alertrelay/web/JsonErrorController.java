package io.alertrelay.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page of the web application (Spring Boot forwards every error without a body to
 * {@code server.error.path}): the relay's JSON error shape for a path nobody serves (404), a method a
 * route does not take (405), a failure in front of the routes, whatever the {@code Accept} header.
 * Replaces Spring Boot's {@code BasicErrorController}, which backs off when an {@link ErrorController}
 * bean exists. Reached directly ({@code GET /error}), it is a path like any other: 404.
 */
@Controller
public class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        int status = code instanceof Integer given && given >= 400 ? given : 404;
        String path = uri instanceof String original ? original : request.getRequestURI();
        JsonErrors.write(response, status, HttpErrors.describe(status, request.getMethod(), path));
    }
}
