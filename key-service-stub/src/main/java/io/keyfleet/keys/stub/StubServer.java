package io.keyfleet.keys.stub;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves an object over real HTTP (the JDK's server, on loopback) exactly as the JAX-RS interfaces it implements declare:
 * the same paths, methods, path, query and header parameters and JSON bodies as the real service, read from the same
 * annotations, so a stub cannot drift from the API its callers' typed clients speak. For stubs in tests and benchmarks; a
 * {@link StubProblem} thrown by the object becomes a problem+json answer. Requests without {@code Authorization: Bearer
 * <requiredKey>} get 401 when a key is required.
 */
public final class StubServer implements AutoCloseable {

    /** An error answer of the stub: status, problem code and detail. */
    public static final class StubProblem extends RuntimeException {
        final int status;
        final String code;

        public StubProblem(int status, String code, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private record Route(String method, Pattern path, List<String> names, Method target) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Object implementation;
    private final String requiredKey;
    private final List<Route> routes = new ArrayList<>();
    private HttpServer server;
    private int port;

    /** Serves {@code implementation} on {@code port} (0: any free one) until {@link #close()}. */
    public StubServer(Object implementation, String requiredKey, int port) {
        this.implementation = implementation;
        this.requiredKey = requiredKey;
        for (Class<?> api : implementation.getClass().getInterfaces()) {
            Path base = api.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method method : api.getMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod != null) {
                    Path sub = method.getAnnotation(Path.class);
                    routes.add(route(httpMethod, base.value() + (sub == null ? "" : "/" + sub.value()), method));
                }
            }
        }
        start(port);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts serving again on the same port after {@link #close()}: the service coming back. */
    public synchronized void start(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + onPort, e);
        }
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    public synchronized void restart() {
        start(port);
    }

    /** Stops serving: callers then find nothing listening, as when the service is down. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (requiredKey != null && !("Bearer " + requiredKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, problem(401, "UNAUTHENTICATED", "no or wrong bearer key"));
                return;
            }
            String path = exchange.getRequestURI().getRawPath().replaceAll("/+$", "");
            for (Route route : routes) {
                Matcher matcher = route.path().matcher(path);
                if (route.method().equals(exchange.getRequestMethod()) && matcher.matches()) {
                    Map<String, String> pathParams = new HashMap<>();
                    for (int i = 0; i < route.names().size(); i++) {
                        pathParams.put(route.names().get(i), decode(matcher.group(i + 1)));
                    }
                    invoke(exchange, route.target(), pathParams);
                    return;
                }
            }
            send(exchange, 404, problem(404, "NOT_FOUND", "no such endpoint"));
        }
    }

    private void invoke(HttpExchange exchange, Method method, Map<String, String> pathParams) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Parameter[] parameters = method.getParameters();
        Object[] args = new Object[parameters.length];
        try {
            for (int i = 0; i < parameters.length; i++) {
                Parameter parameter = parameters[i];
                if (parameter.isAnnotationPresent(PathParam.class)) {
                    args[i] = convert(pathParams.get(parameter.getAnnotation(PathParam.class).value()), parameter.getType());
                } else if (parameter.isAnnotationPresent(QueryParam.class)) {
                    args[i] = convert(query.get(parameter.getAnnotation(QueryParam.class).value()), parameter.getType());
                } else if (parameter.isAnnotationPresent(HeaderParam.class)) {
                    args[i] = exchange.getRequestHeaders().getFirst(parameter.getAnnotation(HeaderParam.class).value());
                } else {
                    JavaType type = JSON.getTypeFactory().constructType(parameter.getParameterizedType());
                    args[i] = JSON.readValue(exchange.getRequestBody(), type);
                }
            }
        } catch (IllegalArgumentException | IOException e) {
            send(exchange, 400, problem(400, "VALIDATION_FAILED", "a parameter could not be read: " + e.getMessage()));
            return;
        }
        Object result;
        try {
            result = method.invoke(implementation, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof StubProblem problem) {
                send(exchange, problem.status, problem(problem.status, problem.code, problem.getMessage()));
                return;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        if (method.getReturnType() == void.class) {
            exchange.sendResponseHeaders(204, -1);
        } else {
            send(exchange, 200, result);
        }
    }

    private static Object convert(String value, Class<?> type) {
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("missing " + type);
            }
            return null;
        }
        if (type == String.class) {
            return value;
        }
        if (type == int.class || type == Integer.class) {
            return Integer.valueOf(value);
        }
        if (type == UUID.class) {
            return UUID.fromString(value);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(value)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(value + " is not a " + type.getSimpleName());
        }
        throw new IllegalArgumentException("the stub cannot read a " + type.getName());
    }

    private static Route route(String httpMethod, String template, Method target) {
        List<String> names = new ArrayList<>();
        String normalized = template.replaceAll("/+", "/");
        Matcher variable = Pattern.compile("\\{([^}]+)}").matcher(normalized);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (variable.find()) {
            regex.append(Pattern.quote(normalized.substring(last, variable.start()))).append("([^/]+)");
            names.add(variable.group(1));
            last = variable.end();
        }
        regex.append(Pattern.quote(normalized.substring(last).replaceAll("/$", "")));
        return new Route(httpMethod, Pattern.compile(regex.toString()), names, target);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return query;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> problem(int status, String code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", status);
        problem.put("code", code);
        problem.put("detail", detail);
        return problem;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
