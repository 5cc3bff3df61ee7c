# Build: a static planbot binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/planbot ./cmd/planbot

# Run: a small image with CA certificates (for qyapi.weixin.qq.com), as a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/planbot /usr/local/bin/planbot
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/planbot"]
CMD ["serve"]
