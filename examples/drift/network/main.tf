# drift-check example: two managed files, so drift can hit one resource or both.
terraform {
  required_providers {
    local = {
      source  = "hashicorp/local"
      version = ">= 1.4.0"
    }
  }
}

variable "output_dir" {
  type    = string
  default = ""
}

locals {
  dir = var.output_dir != "" ? var.output_dir : path.module
}

resource "local_file" "routes" {
  filename = "${local.dir}/routes.txt"
  content  = "10.0.0.0/16 via vpc-main\n"
}

resource "local_file" "firewall" {
  filename = "${local.dir}/firewall.txt"
  content  = "allow tcp/443 from 0.0.0.0/0\n"
}
