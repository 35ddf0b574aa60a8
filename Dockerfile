# Builds the Lambda `bootstrap` for provided.al2023 (x86_64). The Lambda issue fills in packaging;
# for now this builds the release binary with the C libraries linked from the build image.
FROM swift:6.1-amazonlinux2 AS build
RUN yum install -y sqlite-devel zlib-devel openssl-devel
WORKDIR /src
COPY . .
RUN swift build -c release --product swiftlet --static-swift-stdlib

FROM public.ecr.aws/lambda/provided:al2023
COPY --from=build /src/.build/release/swiftlet /var/runtime/bootstrap
COPY --from=build /src/Public /var/task/Public
COPY --from=build /src/Templates /var/task/Templates
CMD ["swiftlet"]
