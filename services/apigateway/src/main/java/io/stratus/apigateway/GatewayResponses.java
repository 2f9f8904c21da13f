package io.stratus.apigateway;

import io.stratus.protocol.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The bodies API Gateway itself answers invoke calls with: {@code {"message":"Not Found"}} and the like. */
public final class GatewayResponses {

    private GatewayResponses() {}

    /** {@code {"message": <message>}} as {@code application/json} with the given status. */
    public static HttpResponse message(int status, String message) {
        String body = "{\"message\":\"" + escape(message) + "\"}";
        return new HttpResponse(status, body.getBytes(StandardCharsets.UTF_8)).header("Content-Type", "application/json");
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
