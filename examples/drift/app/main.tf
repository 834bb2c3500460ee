# drift-check example: a stack whose only resource is a file on disk (hashicorp/local), so a test or a
# demo can create real drift by editing or deleting that file outside Terraform.
terraform {
  required_providers {
    local = {
      source  = "hashicorp/local"
      version = ">= 1.4.0"
    }
  }
}

variable "output_dir" {
  description = "Where the managed files are written (default: this directory)."
  type        = string
  default     = ""
}

locals {
  dir = var.output_dir != "" ? var.output_dir : path.module
}

resource "local_file" "app_config" {
  filename = "${local.dir}/app.conf"
  content  = "replicas = 3\nimage = \"app:1.4.2\"\n"
}

output "app_config_path" {
  value = local_file.app_config.filename
}
