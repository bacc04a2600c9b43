# Tally image for docker-compose.yml (not buildable on the development hosts: no Docker engine).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY streams streams
COPY projections projections
COPY gateway gateway
COPY tally tally
RUN pip install --no-cache-dir .
ENV TALLY_STATE=/var/tally
EXPOSE 8765
ENTRYPOINT ["tally"]
