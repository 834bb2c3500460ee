# The stack of the end-to-end pipeline test (__tests__/e2e/pipeline-loop.test.ts): an S3 backend (moto in the
# test), a file the test edits outside Terraform (real drift), and resources that change with `revision`.
terraform {
  required_version = ">= 1.10"
  backend "s3" {}
  required_providers {
    local = { source = "hashicorp/local", version = "1.4.0" }
  }
}

variable "revision" {
  description = "The deployed revision; each one is a commit in the test's story."
  type        = number
  default     = 1
}

variable "conf_dir" {
  description = "Where the deployed app.conf lives (the workflow tests keep it outside the runner's workspace); empty: next to this file."
  type        = string
  default     = ""
}

resource "local_file" "app_conf" {
  filename = var.conf_dir == "" ? "${path.module}/app.conf" : "${var.conf_dir}/app.conf"
  content  = "listen = 8080\n"
}

resource "terraform_data" "app" {
  input = "app-r${var.revision}"
}

# Exists from revision 2 on: the rollback to revision 1's deploy tag takes it out of the state.
resource "terraform_data" "cache" {
  count = var.revision >= 2 ? 1 : 0
  input = "cache"
}

output "revision" {
  value = var.revision
}
