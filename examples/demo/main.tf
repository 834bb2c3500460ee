# Demo stack for Terraform Pipeline Actions: local backend, terraform_data only (no cloud account needed).
#   terraform init && terraform plan -out=demo.tfplan
terraform {
  required_version = ">= 1.5.0"
}

variable "environment" {
  type        = string
  description = "Deployment environment name (dev, sit, prod)."
  default     = "dev"
}

variable "app_version" {
  type    = string
  default = "1.4.2"
}

variable "db_password" {
  type        = string
  description = "Database password; sensitive, so it must never show up in a PR comment."
  sensitive   = true
  default     = "demo-password-change-me"
}

locals {
  name_prefix = "tfpipe-${var.environment}"
}

resource "terraform_data" "network" {
  input = {
    name       = "${local.name_prefix}-vpc"
    cidr_block = "10.20.0.0/16"
  }
}

resource "terraform_data" "database" {
  input = {
    name     = "${local.name_prefix}-db"
    engine   = "postgres"
    version  = "16"
    password = var.db_password
  }
  triggers_replace = [terraform_data.network.id]
}

module "api" {
  source      = "./modules/service"
  name        = "${local.name_prefix}-api"
  app_version = var.app_version
  replicas    = var.environment == "prod" ? 3 : 1
  network_id  = terraform_data.network.id
}

module "worker" {
  source      = "./modules/service"
  name        = "${local.name_prefix}-worker"
  app_version = var.app_version
  replicas    = 1
  network_id  = terraform_data.network.id
}

output "network_id" {
  value = terraform_data.network.id
}

output "api_endpoint" {
  value = module.api.endpoint
}

output "database_connection" {
  description = "Connection string including the password: sensitive."
  value       = "postgres://app:${var.db_password}@${terraform_data.database.output.name}:5432/app"
  sensitive   = true
}
