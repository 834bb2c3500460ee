# A Terraform configuration with an S3 backend and no cloud resources (terraform_data only), used by the
# rollback-state tests and benchmark against a local moto server. The backend settings are given at init:
#   terraform init -backend-config=backend.hcl     (see backend.hcl.example)
terraform {
  required_version = ">= 1.10"
  backend "s3" {}
}

variable "revision" {
  description = "Bumped by the tests to make each apply write a new state version."
  type        = number
  default     = 1
}

resource "terraform_data" "app" {
  input = "app-r${var.revision}"
}

# Exists only from revision 2 on: rolling back to revision 1 removes it from the state.
resource "terraform_data" "cache" {
  count = var.revision >= 2 ? 1 : 0
  input = "cache-r${var.revision}"
}

# Exists only from revision 3 on.
resource "terraform_data" "worker" {
  count = var.revision >= 3 ? 1 : 0
  input = "worker"
}

output "revision" {
  value = var.revision
}
