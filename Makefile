# Helpdesk developer shortcuts. `make help` lists them.

COMPOSE := docker compose -f infra/docker-compose.yml --env-file .env

.DEFAULT_GOAL := help

.PHONY: help up down logs run test ci bench fmt lint

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-6s %s\n", $$1, $$2}'

up: .env ## Build and start the Docker Compose stack (api on http://localhost:18000)
	@grep -q '^HELPDESK_JWT_SECRET=.\{32,\}' .env || { \
		echo "HELPDESK_JWT_SECRET=$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >> .env; \
		echo "Generated HELPDESK_JWT_SECRET in .env"; }
	$(COMPOSE) up -d --build

down: .env ## Stop the stack (volumes are kept)
	$(COMPOSE) down

logs: .env ## Follow the stack's logs
	$(COMPOSE) logs -f

run: ## Run the server locally (embedded SQLite, in-process worker and scheduler)
	cargo run --release

test: ## Run all tests
	cargo test --workspace

ci: ## Run the CI script
	bash .ci/run

bench: ## Run the benchmarks
	bash bench/run.sh

fmt: ## Format the code
	cargo fmt --all

lint: ## Lint with clippy, warnings are errors
	cargo clippy --workspace --all-targets -- -D warnings

# Compose needs .env (HELPDESK_JWT_SECRET); stop with a hint when it is missing.
.env:
	@echo "Missing .env: run 'cp .env.example .env' first." >&2
	@exit 1
